//go:build unix

package runner

import (
	"os"
	"slices"

	"golang.org/x/sys/unix"
)

// parallelSignals are forwarded to every job of a parallel run. Jobs
// start at different times, so nrun cannot catch a signal its parent
// ignored and still hand the ignore to each job: those stay ignored.
func parallelSignals() []os.Signal {
	normal, _ := splitIgnored(catchable)
	return slices.DeleteFunc(normal, func(s os.Signal) bool { return s == unix.SIGTSTP })
}
