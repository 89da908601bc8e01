package runner

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Windows has no signals to forward. Ctrl-C and Ctrl-Break go from the
// console to every process attached to it, the app included; closing the
// console, logging off and shutting down reach each process as well (Go
// calls them SIGTERM). nrun catches them only to outlive the app: it waits
// for the app to finish its own handling and exits with its code. If the
// app outlasts Windows' patience (5 s after a console close), Windows ends
// nrun, and nrun's Job Object takes every process left with it.

// forwarded lists what nrun catches while a child runs.
func forwarded() []os.Signal { return []os.Signal{os.Interrupt, syscall.SIGTERM} }

// forward: the console has told the child already.
func forward(*os.Process, os.Signal) {}

// stops: after Ctrl-C or a close nothing more of the script runs.
func stops(os.Signal) bool { return true }

// supervise starts a program and waits for it. Every program of a plan
// starts here on Windows, as the parent nrun always is; the first start
// has put nrun in its Job Object (Run's becomeSubreaper).
func supervise(path string, argv, env []string, dir string, how child) (int, status, error) {
	// Register before starting: Ctrl-C then never kills nrun before the
	// app, which got it too.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwarded()...)
	defer signal.Stop(sigs)
	cmd, err := startProcess(path, argv, env, dir, how.stdio)
	if err != nil {
		return 0, status{}, err
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	stop := false
	cancel, halt := how.cancel, how.halt.Done()
	for {
		select {
		case s := <-sigs:
			forward(cmd.Process, s)
			stop = stop || stops(s)
		case <-cancel:
			// Ended from outside: Windows has no SIGTERM to send, so the
			// program is terminated; its tree goes with its Job Object.
			_ = cmd.Process.Kill()
			cancel = nil
		case <-halt:
			// nrun was told to stop: a program that started just after the
			// Ctrl-C never had it, and the console cannot send it one, so
			// it is terminated. Notify waits for a delivery in progress
			// (see supervise_unix.go).
			halt = nil
			signal.Notify(sigs, forwarded()...)
			for len(sigs) > 0 {
				s := <-sigs
				forward(cmd.Process, s)
				stop = stop || stops(s)
			}
			if !stop {
				stop = true
				_ = cmd.Process.Kill()
				cancel = nil
			}
		case <-done:
			st := exitStatus(cmd.ProcessState)
			st.stop = st.stop || stop
			return cmd.Process.Pid, st, nil
		}
	}
}

// becomeSubreaper: the Job Object is Windows' way to own the whole tree.
func becomeSubreaper(o Options) error { return enterJob(o.AllowBreakaway) }

// teardown ends what is left of the tree at once: every process of nrun's
// Job Object but nrun. There is no SIGTERM to send first.
// A job of a parallel run leaves its processes to the run's end, as the
// Job Object holds them all.
func teardown(_ int, _ time.Duration, all bool) {
	if all {
		emptyJob()
	}
}

// StopSignals lists what ends a restart loop: Ctrl-C, Ctrl-Break and a
// console close, all of which stop a run.
func StopSignals() []os.Signal { return forwarded() }
