//go:build unix

package proctest

import (
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// Exists reports whether pid is a process, a zombie included: only
// reaping removes it.
func Exists(pid int) bool { return unix.Kill(pid, 0) != unix.ESRCH }

// KillOwn SIGKILLs pid if it still runs this binary (where /proc tells;
// elsewhere it cannot tell and kills), so that a cleanup never hits a
// recycled pid (nor this process), and reaps it, a zombie too, if it is a
// child of this process.
func KillOwn(pid int) {
	if pid == os.Getpid() {
		return
	}
	if runsThisBinary(pid) {
		_ = unix.Kill(pid, unix.SIGKILL)
	}
	PollFor(Timeout, func() bool {
		got, err := unix.Wait4(pid, nil, unix.WNOHANG, nil)
		return got == pid || err == unix.ECHILD
	})
}

func runsThisBinary(pid int) bool {
	if runtime.GOOS != "linux" {
		return Exists(pid)
	}
	self, err := os.Executable()
	if err != nil {
		return false
	}
	exe, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
	return err == nil && exe == self
}
