//go:build unix

package main

import (
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/proctest"
)

// TestRestartLoopHaltsTheRun: a stop signal halts the run it comes in, as
// well as ending the loop after it. Between two programs of a run no
// supervisor is there to forward the signal, so without the halt the next
// program would start and run on as if nothing had been asked.
func TestRestartLoopHaltsTheRun(t *testing.T) {
	l := &restartLoop{policy: "always", max: -1}
	runs := 0
	err := l.run(func(_, halt <-chan struct{}) error {
		runs++
		// Between two programs: nobody but the loop hears it.
		if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
			return err
		}
		select {
		case <-halt:
			return nil
		case <-time.After(proctest.Timeout):
			return errors.New("the run was not halted")
		}
	})
	if err != nil || runs != 1 {
		t.Errorf("loop: %v after %d runs, want no error after 1", err, runs)
	}
}
