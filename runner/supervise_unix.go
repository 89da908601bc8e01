//go:build unix

package runner

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// supervise runs a program as a child that leads a process group of its
// own, and stays its parent until it has ended. The reaper (reaper_unix.go)
// tells it how the program ended; orphans are the reaper's and teardown's.
//
// Signals: every catchable signal nrun receives goes to the child's group
// once. If nrun owns the terminal's foreground, the child's group gets it,
// so the terminal's Ctrl-C reaches the app once and nrun not at all.
// Ctrl-Z stops the child; nrun then takes the terminal back and stops
// itself, so the shell sees the job stop, and on `fg` hands the terminal
// on and lets the child continue. A job of a parallel run has no terminal
// and no job control: it gets the signals of parallelSignals, and a stop
// is left to whoever sent it.
// With how.pidns > 0 the program runs under an nrun that is PID 1 of a
// new PID namespace, which ends its namespace after that much grace.
func supervise(path string, argv, env []string, dir string, how child) (pid int, st status, err error) {
	sigs := make(chan os.Signal, 256)
	normal, ignored := splitIgnored(catchable)
	if how.oneOfMany {
		normal, ignored = parallelSignals(), nil
	}
	signal.Notify(sigs, normal...)
	defer signal.Stop(sigs)

	if parentGone.Load() {
		// The parent died before nrun could watch it: that is a SIGTERM.
		st = signaled(unix.SIGTERM)
		st.stop = true
		return 0, st, nil
	}
	tty := -1
	if !how.background && !how.oneOfMany {
		tty = foregroundTTY()
	}
	pid, w, err := startLeader(path, argv, env, dir, tty, how)
	if err != nil {
		return 0, status{}, err
	}
	// The signals nrun's parent ignored are caught only now that the child
	// has started: a child inherits an ignore, but the Go runtime resets a
	// caught signal to its default in every child. So the app starts with
	// the ignores nrun was given and decides for itself, and what nrun
	// receives from here on reaches it, as if nrun were not there. A
	// signal sent before this point was ignored, as nrun's parent asked.
	if len(ignored) > 0 { // Notify with no signal would catch them all
		signal.Notify(sigs, ignored...)
	}
	trimStartupPages()
	end := &ending{send: groupSender(pid, how.notice), grace: how.grace}
	cancel, halt := how.cancel, how.halt.Done()
	for {
		select {
		case s := <-sigs:
			end.forward(s)
		case <-cancel:
			// Ended from outside (a restart, a bail, a race won).
			cancel = nil
			end.terminate()
		case <-halt:
			halt = nil
			// Whoever closed halt heard the signal that told nrun to stop
			// on a channel of its own, perhaps before sigs had it: os/signal
			// fills its channels one by one under a lock that Notify takes
			// too, so this call returns once that delivery is complete.
			signal.Notify(sigs, normal...)
			end.halt(sigs, how.halt.Signal())
		case <-end.kill:
			end.send(unix.SIGKILL)
		case <-w.stopped:
			if tty >= 0 && len(w.ended) == 0 { // an end already known wins
				jobStopped(pid, tty)
			}
		case ws := <-w.ended:
			reclaimTTY(tty)
			st = statusOf(ws)
			st.stop = end.stop
			return pid, st, nil
		case <-reaper.failed:
			reclaimTTY(tty)
			return pid, status{}, fmt.Errorf("cannot wait for %s: %w", path, reaper.err)
		}
	}
}

// ending is how supervise ends a program: the signals nrun receives are
// passed on, and when nrun itself ends the program, SIGTERM goes once and
// SIGKILL follows if the program outlasts the grace period.
type ending struct {
	send  func(syscall.Signal)
	grace time.Duration
	stop  bool             // a stop signal reached the program, or nrun was halted
	kill  <-chan time.Time // set once nrun has sent SIGTERM
}

// forward passes on a signal nrun received.
func (e *ending) forward(s os.Signal) {
	e.send(s.(syscall.Signal))
	e.stop = e.stop || stops(s)
}

// terminate sends SIGTERM unless it was sent already.
func (e *ending) terminate() {
	if e.kill == nil {
		e.send(unix.SIGTERM)
		e.kill = time.After(e.grace)
	}
}

// halt: nrun was told to stop, by sig or (nil) by a bail or race. The
// signal reached the program too, unless the program started just after
// it: pending signals are passed on first, then a program that had no
// stop signal and is not being ended already gets sig, or is terminated
// as a cancel would terminate it.
func (e *ending) halt(pending chan os.Signal, sig os.Signal) {
	for len(pending) > 0 {
		e.forward(<-pending)
	}
	switch {
	case e.stop || e.kill != nil:
	case sig != nil:
		e.forward(sig)
	default:
		e.terminate()
	}
	e.stop = true
}

// groupSender returns what sends a signal to the group pgid. A group
// already gone (ESRCH) is the normal race with its end; any other refusal
// (a setuid program) is said once, and the program runs on.
func groupSender(pgid int, notice func(string)) func(syscall.Signal) {
	said := false
	return func(s syscall.Signal) {
		err := unix.Kill(-pgid, s)
		if err != nil && err != unix.ESRCH && !said && notice != nil {
			said = true
			notice(fmt.Sprintf("cannot forward %v to the program: %v", s, err))
		}
	}
}

// startLeader starts the child as the leader of a new process group, in
// the terminal's foreground when tty >= 0, watched by the reaper.
func startLeader(path string, argv, env []string, dir string, tty int, how child) (int, *watch, error) {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if how.pidns > 0 {
		path, argv = inNamespace(attr, path, argv, how.pidns)
	}
	if tty >= 0 {
		attr.Foreground, attr.Ctty = true, tty
	}
	setParentDeathSignal(attr)
	files := []*os.File{os.Stdin, os.Stdout, os.Stderr}
	for i, f := range how.stdio {
		if f != nil {
			files[i] = f
		}
	}
	var pid int
	var w *watch
	err := retryStart(path, argv, func(path string, argv []string) (err error) {
		pid, w, err = startWatched(func() (int, error) {
			p, err := os.StartProcess(path, argv, &os.ProcAttr{Dir: dir, Env: env, Files: files, Sys: attr})
			if err != nil {
				return 0, err
			}
			pid := p.Pid    // Release forgets it
			_ = p.Release() // the reaper waits for it, not os.Process
			return pid, nil
		})
		return err
	})
	return pid, w, err
}

// jobStopped follows the child into a stop: nrun takes the terminal back
// and stops itself with the same signal, so the shell that started nrun
// sees its job stop. When the shell continues nrun (fg, bg), nrun hands
// the terminal back and the SIGCONT that woke it is forwarded by the loop.
func jobStopped(child, tty int) {
	reclaimTTY(tty)
	// SIGSTOP, not the child's SIGTSTP: nrun catches SIGTSTP to forward it,
	// and SIGSTOP cannot be caught.
	_ = unix.Kill(os.Getpid(), unix.SIGSTOP)
	if tty >= 0 {
		withTTOUIgnored(func() { _ = unix.IoctlSetPointerInt(tty, unix.TIOCSPGRP, child) })
	}
}

// foregroundTTY returns stdin's descriptor when it is a terminal whose
// foreground group is nrun's own, else -1: nrun never takes a terminal
// it was not given, which would stop the job that owns it.
func foregroundTTY() int {
	fg, err := unix.IoctlGetInt(0, unix.TIOCGPGRP)
	if err != nil || fg != unix.Getpgrp() {
		return -1
	}
	return 0
}

// reclaimTTY makes nrun's group the terminal's foreground again. nrun is
// in the background when it asks, so SIGTTOU is ignored for the call.
func reclaimTTY(tty int) {
	if tty < 0 {
		return
	}
	withTTOUIgnored(func() { _ = unix.IoctlSetPointerInt(tty, unix.TIOCSPGRP, unix.Getpgrp()) })
}

func withTTOUIgnored(f func()) {
	signal.Ignore(unix.SIGTTOU)
	defer signal.Reset(unix.SIGTTOU)
	f()
}

// teardown ends what a run left behind when nrun supervises: the process
// group of its last program and, with all, where nrun can see them, every
// other descendant (setsid'd daemons included, handed to nrun as orphans).
// Each gets SIGTERM once, and SIGKILL once grace has passed; with all,
// nrun reaps everything before it returns. It runs once, at the end of a
// run: a daemon started by one command of a list stays up for the next,
// as under sh. A job of a parallel run ends its own group; the run's end
// takes the rest, as jobs share nrun's orphans.
func teardown(group int, grace time.Duration, all bool) {
	termed := map[int]bool{}
	term := func() (alive bool) {
		// Zombies are reaped first, so that a dead member of the group
		// (an orphan handed to nrun) does not count as alive; with all,
		// the last ones to die are reaped here too, so that nothing of the
		// tree exists once teardown returns. A zombie whose other threads
		// are still exiting cannot be reaped yet, and is waited for.
		children := reapNow()
		if groupAlive(group) {
			alive = true
			if !termed[-group] {
				termed[-group] = true
				_ = unix.Kill(-group, unix.SIGTERM)
			}
		}
		if !all {
			return alive
		}
		for _, pid := range leftovers() {
			alive = true
			if !termed[pid] {
				termed[pid] = true
				_ = unix.Kill(pid, unix.SIGTERM)
			}
		}
		return children || alive
	}
	// With no child at all, nothing of the tree can be left: every
	// descendant is a child's or, orphaned, nrun's own. The common end of
	// a run that started nothing (a job of builtins) stops here, without
	// walking /proc or asking for signals.
	if !groupAlive(group) && (!all || !reapNow()) {
		return
	}
	// A stop signal now (a second Ctrl-C, a process manager that stops
	// nrun) must not kill nrun and abandon what is left: it cuts the grace
	// short instead.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, StopSignals()...)
	defer signal.Stop(sigs)
	if !term() {
		return
	}
	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	poll := time.NewTicker(10 * time.Millisecond)
	defer poll.Stop()
	for {
		select {
		case <-poll.C:
		case <-deadline.C:
			killAll(group, all)
			return
		case <-sigs:
			killAll(group, all)
			return
		}
		if !term() {
			return
		}
	}
}

// killAll SIGKILLs whatever is left and reaps it, giving up after a few
// seconds on processes the kernel cannot end (uninterruptible sleep).
func killAll(group int, all bool) {
	give := time.Now().Add(5 * time.Second)
	for time.Now().Before(give) {
		children := reapNow()
		alive := groupAlive(group)
		if alive {
			_ = unix.Kill(-group, unix.SIGKILL)
		}
		if all {
			for _, pid := range leftovers() {
				alive = true
				_ = unix.Kill(pid, unix.SIGKILL)
			}
			alive = alive || children
		}
		if !alive {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// groupAlive reports whether any process of the group is left. Zombies
// count, so on systems without a descendants list nrun waits until the
// group is reaped by whoever owns it.
func groupAlive(pgid int) bool {
	return pgid > 0 && unix.Kill(-pgid, 0) == nil
}
