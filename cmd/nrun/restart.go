package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/nrunjs/nrun/runner"
)

// Restart policy: the pause before a restart starts at --restart-delay,
// doubles after each run shorter than quickRun, never exceeds maxDelay,
// and is back to the first after a run that lasted quickRun or longer.
const (
	quickRun = 10 * time.Second
	maxDelay = 30 * time.Second
)

// checkRestart rejects a --restart value nrun does not know.
func (cfg *config) checkRestart() error {
	switch cfg.restart {
	case "", "on-failure", "always":
		return nil
	}
	return usageError{fmt.Errorf("--restart %q: want on-failure or always", cfg.restart)}
}

// explainRestart is --restart as --explain shows it; nil without it.
func (cfg *config) explainRestart() *explainRestart {
	if cfg.restart == "" {
		return nil
	}
	x := &explainRestart{Policy: cfg.restart, Delay: cfg.restartDelay.String()}
	if cfg.restartMax >= 0 {
		x.Max = &cfg.restartMax
	}
	return x
}

// restartLoop runs the plan again and again, as --restart asks. Each
// runner.Run tears its run's whole tree down and reaps it before it
// returns (the subreaper's orphans too), so a run never starts while
// anything of the one before is left. A stop signal (SIGTERM, SIGINT,
// SIGHUP, SIGQUIT), during a run or between runs, ends the loop.
type restartLoop struct {
	always bool          // restart after a success too
	max    int           // restarts allowed; < 0: no limit
	first  time.Duration // the first pause
	next   time.Duration // the next pause
	notify func(run int, err error, pause time.Duration)
}

func newRestartLoop(cfg *config) *restartLoop {
	return &restartLoop{always: cfg.restart == "always", max: cfg.restartMax, first: cfg.restartDelay, next: cfg.restartDelay}
}

// run runs the plan until a run ends in a way that does not call for a
// restart, and returns that run's outcome.
func (l *restartLoop) run(runOnce func() error) error {
	// Heard during the runs as well, where supervise forwards them: a stop
	// signal in the short gaps without a supervised child (teardown, the
	// pause) must not kill nrun before the tree is gone, nor be missed.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, runner.StopSignals()...)
	defer signal.Stop(sigs)
	for restarts := 0; ; restarts++ {
		began := time.Now()
		err := runOnce()
		if stoppedBy(sigs) != nil || runner.Stopped() || !l.restarts(err) || l.max >= 0 && restarts >= l.max {
			return err
		}
		pause := l.pause(time.Since(began))
		if l.notify != nil {
			l.notify(restarts+2, err, pause)
		}
		select {
		case s := <-sigs:
			return signalExit(s) // nothing runs: nrun ends as the signal asks
		case <-time.After(pause):
		}
	}
}

// restarts reports whether a run that ended with err calls for another:
// after a failure (an exit status or a signal) always; after a success
// only with --restart always. nrun's own errors end the loop.
func (l *restartLoop) restarts(err error) bool {
	var exit *runner.ExitError
	if err == nil {
		return l.always
	}
	return errors.As(err, &exit)
}

// pause is the wait before the next run, given how long the last lasted.
func (l *restartLoop) pause(lasted time.Duration) time.Duration {
	if lasted >= quickRun {
		l.next = l.first
	}
	d := l.next
	l.next = min(2*l.next, max(maxDelay, l.first))
	return d
}

// stoppedBy returns a stop signal nrun has received, if any.
func stoppedBy(sigs <-chan os.Signal) os.Signal {
	select {
	case s := <-sigs:
		return s
	default:
		return nil
	}
}

// signalExit is how nrun ends when a stop signal comes while no run is
// going: as if it died of it, as an idle supervisor would.
func signalExit(s os.Signal) error {
	sig, _ := s.(syscall.Signal)
	return &runner.ExitError{Code: 128 + int(sig), Signal: sig}
}

// restartNotice prints the one dim line per restart: why the run ended
// and which run comes next.
func restartNotice(w io.Writer, color bool) func(int, error, time.Duration) {
	return func(run int, err error, pause time.Duration) {
		why := "exited with status 0"
		var exit *runner.ExitError
		if errors.As(err, &exit) {
			why = "exited with status " + fmt.Sprint(exit.Code)
			if exit.Signal != 0 {
				why = "killed by " + signalName(exit.Signal)
			}
		}
		line := fmt.Sprintf("nrun: %s; restarting in %v (run %d)", why, pause, run)
		if color {
			line = "\x1b[2m" + line + "\x1b[0m"
		}
		fmt.Fprintln(w, line)
	}
}
