//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/proctest"
	"github.com/nrunjs/nrun/runner"
)

// TestRestartLoopHaltsTheRun: a stop signal halts the run it comes in
// (runner.Options.Halt, with that signal), as well as ending the loop
// after it. Between two programs of a run no supervisor is there to
// forward the signal, so without the halt the next program would start
// and run on as if nothing had been asked. That gap lasts microseconds and
// cannot be hit from outside on purpose; this drives the loop itself, and
// TestRunHalt and TestRunClosedStartsNothing the runner's side.
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
				case <-o.Halt.Done():
					if got := o.Halt.Signal(); got != sig {
						return fmt.Errorf("halted by %v, want %v", got, sig)
					}
					return nil
				case <-time.After(proctest.Timeout):
					return errors.New("the run was not halted")
				}
			})
			if err != nil || runs != 1 {
				t.Errorf("loop: %v after %d runs, want the end of the loop after 1", err, runs)
			}
		})
	}
}
