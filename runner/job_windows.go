package runner

import (
	"fmt"
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// nrun's Job Object. nrun puts itself in it before it starts anything, so
// that every process started from then on, at any depth, is in the job
// from its first instruction: there is no moment in which a grandchild
// could escape, as there would be if a child were assigned after it
// started. The job kills every process in it when its last handle closes,
// and nrun holds the only one (not inheritable, never closed): when nrun
// exits, or is killed by TerminateProcess or Task Manager, or its console
// closes, the whole tree goes with it. A job inside another (a CI runner's,
// a terminal's) is fine since Windows 8: jobs nest.
//
// Breakaway (a child started with CREATE_BREAKAWAY_FROM_JOB leaving the
// job) is refused, unless Options.AllowBreakaway asks for it: then the
// script may start a daemon that outlives nrun, deliberately, with that
// flag. Everything else still dies with nrun; SILENT_BREAKAWAY_OK is never
// set.
var (
	jobOnce sync.Once
	job     windows.Handle
)

// enterJob puts nrun in its Job Object, once. If that fails (Windows 7 in
// a job that forbids it, a sandbox), nrun says so once and runs anyway.
func enterJob(breakaway bool) {
	jobOnce.Do(func() {
		h, err := newJob(breakaway)
		if err == nil {
			err = windows.AssignProcessToJobObject(h, windows.CurrentProcess())
			if err != nil {
				windows.CloseHandle(h)
			}
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "nrun: warning: cannot put nrun in a Job Object (%v): processes the script leaves running may outlive nrun\n", err)
			return
		}
		job = h
	})
}

// newJob creates a job that kills its processes when its last handle is
// closed and, if breakaway is set, lets a process leave it by asking.
func newJob(breakaway bool) (windows.Handle, error) {
	h, err := windows.CreateJobObject(nil, nil) // no security attributes: not inheritable
	if err != nil {
		return 0, fmt.Errorf("CreateJobObject: %w", err)
	}
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if breakaway {
		info.BasicLimitInformation.LimitFlags |= windows.JOB_OBJECT_LIMIT_BREAKAWAY_OK
	}
	if _, err := windows.SetInformationJobObject(h, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(h)
		return 0, fmt.Errorf("SetInformationJobObject: %w", err)
	}
	return h, nil
}
