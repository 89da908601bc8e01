//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

func tsSignalPid(pid int, sig syscall.Signal) error {
	return unix.Kill(pid, sig)
}

// tsProcessState reports whether pid exists (kill(pid, 0) does not fail with
// ESRCH) and, on Linux, whether it is a zombie.
func tsProcessState(pid int) (exists, zombie bool) {
	if err := unix.Kill(pid, 0); err == unix.ESRCH {
		return false, false
	}
	return true, probeIsZombie(pid)
}

// tsRunsPersonality reports whether pid runs a copy of this test binary (as
// nrun or nrun-probe), so that cleanup never kills a recycled pid. Without
// /proc it cannot tell, and says yes.
func tsRunsPersonality(pid int) bool {
	if runtime.GOOS != "linux" {
		return true
	}
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		return false
	}
	bin, err := exec.LookPath(probeName) // testscript.Main put its directory on PATH
	return err == nil && filepath.Dir(exe) == filepath.Dir(bin)
}
