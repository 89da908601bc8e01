package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
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

// restarting reports whether nrun runs the script in a loop: --restart,
// --watch or --watch-path.
func (cfg *config) restarting() bool {
	return cfg.restart != "" || cfg.watching()
}

func (cfg *config) watching() bool { return cfg.watch || len(cfg.watchPaths) > 0 }

// restartLoop runs the plan again and again, as --restart and --watch
// ask. Each runner.Run tears its run's whole tree down and reaps it
// before it returns (the subreaper's orphans too), so a run never starts
// while anything of the one before is left. A stop signal (SIGTERM,
// SIGINT, SIGHUP, SIGQUIT), during a run or between runs, ends the loop.
type restartLoop struct {
	policy string        // --restart: "", on-failure or always
	max    int           // restarts allowed by the policy; < 0: no limit
	first  time.Duration // the first pause
	next   time.Duration // the next pause
	// changes, when watching, receives what changed (a path, or a restart
	// typed by hand): the run is ended and started again at once.
	changes <-chan string
	notify  func(note) // one line per restart, when shown
}

// note is what the loop says about a restart.
type note struct {
	run     int           // the run that comes next
	err     error         // how the last run ended
	pause   time.Duration // before the next run
	changed string        // what changed, if that is why
	waiting bool          // the run ended; the loop waits for a change
}

func newRestartLoop(cfg *config) *restartLoop {
	return &restartLoop{policy: cfg.restart, max: cfg.restartMax, first: cfg.restartDelay, next: cfg.restartDelay}
}

// run runs the plan until a run ends in a way that calls for no other,
// and returns that run's outcome. runOnce is one run with opts, whose
// Cancel the loop closes to end it early and whose Halt it stops when
// told to stop.
func (l *restartLoop) run(opts runner.Options, runOnce func(runner.Options) error) error {
	// Heard during the runs as well, where supervise forwards them: a stop
	// signal in the short gaps without a supervised child (teardown, the
	// pause) must not kill nrun before the tree is gone, nor be missed.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, runner.StopSignals()...)
	defer signal.Stop(sigs)
	restarts := 0
	for run := 1; ; run++ {
		began := time.Now()
		err, changed, stop := l.once(opts, runOnce, sigs)
		if stop || runner.Stopped() {
			return err
		}
		if changed != "" {
			l.say(note{run: run + 1, err: err, changed: changed})
			continue
		}
		// The run ended by itself.
		if l.policy != "" && l.restarts(err) && (l.max < 0 || restarts < l.max) {
			restarts++
			pause := l.pause(time.Since(began))
			l.say(note{run: run + 1, err: err, pause: pause})
			select {
			case s := <-sigs:
				return signalExit(s) // nothing runs: nrun ends as the signal asks
			case <-time.After(pause):
			case c := <-l.changes:
				l.say(note{run: run + 1, changed: c})
			}
			continue
		}
		if l.changes == nil {
			return err
		}
		l.say(note{run: run + 1, err: err, waiting: true})
		select {
		case s := <-sigs:
			return signalExit(s)
		case c := <-l.changes:
			l.say(note{run: run + 1, changed: c})
		}
	}
}

// once is one run. A change ends it (cancel), and the change is
// returned; a stop signal lets it end (supervise has forwarded the signal
// to the app) and says the loop is over. The run is halted with the
// signal too, for a signal that came between two of its programs: the
// next one must not start, or must get the signal it missed.
func (l *restartLoop) once(opts runner.Options, runOnce func(runner.Options) error, sigs <-chan os.Signal) (err error, changed string, stop bool) {
	cancel, halt := make(chan struct{}), runner.NewHalt()
	opts.Cancel, opts.Halt = cancel, halt
	done := make(chan error, 1)
	go func() { done <- runOnce(opts) }()
	for {
		select {
		case err = <-done:
			return err, changed, stop
		case s := <-sigs:
			stop = true
			halt.Stop(s)
		case c := <-l.changes:
			// Later changes while the tree goes down belong to this restart.
			if changed == "" && !stop {
				changed = c
				close(cancel)
			}
		}
	}
}

func (l *restartLoop) say(n note) {
	if l.notify != nil {
		l.notify(n)
	}
}

// restarts reports whether a run that ended with err calls for another:
// after a failure (an exit status or a signal) always; after a success
// only with --restart always. nrun's own errors end the loop.
func (l *restartLoop) restarts(err error) bool {
	var exit *runner.ExitError
	if err == nil {
		return l.policy == "always"
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
// (or what changed) and which run comes next.
func restartNotice(w io.Writer, color bool, dir string) func(note) {
	return func(n note) {
		var line string
		switch {
		case n.changed != "":
			line = fmt.Sprintf("nrun: %s; restarting (run %d)", changeName(n.changed, dir), n.run)
		case n.waiting:
			line = fmt.Sprintf("nrun: %s; waiting for a change", endName(n.err))
		default:
			line = fmt.Sprintf("nrun: %s; restarting in %v (run %d)", endName(n.err), n.pause, n.run)
		}
		if color {
			line = "\x1b[2m" + line + "\x1b[0m"
		}
		fmt.Fprintln(w, line)
	}
}

// endName says how a run ended.
func endName(err error) string {
	var exit *runner.ExitError
	switch {
	case err == nil:
		return "exited with status 0"
	case !errors.As(err, &exit):
		return err.Error()
	case exit.Signal != 0:
		return "killed by " + signalName(exit.Signal)
	}
	return "exited with status " + fmt.Sprint(exit.Code)
}

// changeName says what changed: a path relative to the package, or a
// restart typed by hand.
func changeName(changed, dir string) string {
	if changed == typedRestart {
		return "restart typed"
	}
	if rel, err := filepath.Rel(dir, changed); err == nil && filepath.IsLocal(rel) {
		changed = rel
	}
	return changed + " changed"
}
