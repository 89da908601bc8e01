//go:build unix

package main

import (
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/proctest"
	"github.com/nrunjs/nrun/runner"
)

// TestRestartLoopHaltsTheRun: a stop signal halts the run it comes in
// (runner.Options.Halt), as well as ending the loop after it. Between two
// programs of a run no supervisor is there to forward the signal, so
// without the halt the next program would start and run on as if nothing
// had been asked. That gap lasts microseconds and cannot be hit from
// outside on purpose; this drives the loop itself, and TestRunHalt the
// runner's side. A run the halt ended (runner's SIGTERM status for a
// program that never started) ends as if nrun had died of its signal.
func TestRestartLoopHaltsTheRun(t *testing.T) {
	for _, sig := range runner.StopSignals() {
		t.Run(sig.String(), func(t *testing.T) {
			l := &restartLoop{policy: "always", max: -1}
			runs := 0
			err := l.run(runner.Options{}, func(o runner.Options) error {
				runs++
				if err := syscall.Kill(os.Getpid(), sig.(syscall.Signal)); err != nil {
					return err
				}
				select {
				case <-o.Halt:
					return &runner.ExitError{Code: 128 + int(syscall.SIGTERM), Signal: syscall.SIGTERM}
				case <-time.After(proctest.Timeout):
					return errors.New("the run was not halted")
				}
			})
			s := sig.(syscall.Signal)
			var exit *runner.ExitError
			if !errors.As(err, &exit) || *exit != (runner.ExitError{Code: 128 + int(s), Signal: s}) || runs != 1 {
				t.Errorf("loop: %v after %d runs, want death by %v after 1", err, runs, sig)
			}
		})
	}
}
