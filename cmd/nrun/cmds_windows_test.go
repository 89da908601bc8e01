package main

import (
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/windows"
)

// tsSignalPid can only kill on Windows.
func tsSignalPid(pid int, sig syscall.Signal) error {
	if sig != syscall.SIGKILL {
		return fmt.Errorf("signal %v: only KILL can be sent on windows", sig)
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}

// tsProcessState reports whether pid is still running; Windows has no zombies.
func tsProcessState(pid int) (exists, zombie bool) {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return false, false
	}
	defer windows.CloseHandle(h)
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err != nil {
		return false, false
	}
	return code == tsStillActive, false
}

func tsRunsPersonality(int) bool { return true }

// tsStillActive is STILL_ACTIVE, the exit code of a process still running.
const tsStillActive = 259
