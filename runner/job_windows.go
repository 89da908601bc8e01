package runner

import (
	"fmt"
	"sync"
	"time"
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
	jobErr  error // why nrun is in no Job Object of its own
)

// enterJob puts nrun in its Job Object, once. If that fails (Windows 7 in
// a job that forbids it, a sandbox), it says why, and nrun runs anyway.
func enterJob(breakaway bool) error {
	jobOnce.Do(func() {
		h, err := newJob(breakaway)
		if err == nil {
			err = windows.AssignProcessToJobObject(h, windows.CurrentProcess())
			if err != nil {
				windows.CloseHandle(h)
			}
		}
		if err != nil {
			jobErr = fmt.Errorf("cannot put nrun in a Job Object (%w): processes the script leaves running may outlive nrun", err)
			return
		}
		job = h
	})
	return jobErr
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

// jobProcessList is JOBOBJECT_BASIC_PROCESS_ID_LIST with room for the
// ids of a large tree; a larger one is ended in several rounds.
type jobProcessList struct {
	assigned, listed uint32
	ids              [4096]uintptr
}

// emptyJob ends every process of nrun's job but nrun itself, and returns
// once the job lists none: the teardown of a run, so that a run that
// follows (a restart) starts with nothing of the one before. Windows lists
// a process in its job until it has exited, so an empty list is a tree
// that is gone, not one that was only asked to go. It gives up after a
// few seconds on processes Windows cannot end.
func emptyJob() {
	if job == 0 {
		return
	}
	self := uintptr(windows.GetCurrentProcessId())
	list := new(jobProcessList)
	for give := time.Now().Add(5 * time.Second); time.Now().Before(give); time.Sleep(10 * time.Millisecond) {
		err := windows.QueryInformationJobObject(job, windows.JobObjectBasicProcessIdList,
			uintptr(unsafe.Pointer(list)), uint32(unsafe.Sizeof(*list)), nil)
		if err != nil && err != windows.ERROR_MORE_DATA {
			return
		}
		others := 0
		for _, pid := range list.ids[:min(list.listed, uint32(len(list.ids)))] {
			if pid == self {
				continue
			}
			others++
			if h, err := windows.OpenProcess(windows.PROCESS_TERMINATE, false, uint32(pid)); err == nil {
				_ = windows.TerminateProcess(h, 1)
				windows.CloseHandle(h)
			}
		}
		if others == 0 {
			return
		}
	}
}
