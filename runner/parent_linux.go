package runner

import (
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// parentGone records that nrun's parent died before the kernel was asked
// to say so.
var parentGone atomic.Bool

// WatchParent makes the death of nrun's parent (a process manager killed
// with SIGKILL, a closed terminal) arrive as SIGTERM, so a supervising
// nrun tears its tree down instead of living on. The parent
// may already be gone when nrun asks: getppid tells, once, afterwards.
// Call it only when nrun will not exec (the setting would outlive execve
// into the app) and from the main thread, during init.
func WatchParent() {
	ppid := unix.Getppid()
	if unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGTERM), 0, 0, 0) == nil && unix.Getppid() != ppid {
		parentGone.Store(true)
	}
}
