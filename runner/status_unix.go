//go:build unix

package runner

import (
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// statusOf is a wait status as sh reports it: the exit code, or 128+N for
// a death by signal N. Every program nrun waits for on Unix ends here.
func statusOf(ws unix.WaitStatus) status {
	if ws.Signaled() {
		return signaled(ws.Signal())
	}
	return status{code: ws.ExitStatus()}
}

// Reraise makes nrun die of sig, as its child did, so that whoever waits
// for nrun sees the same death: a shell stops a loop only when a command
// really died of SIGINT. It returns when that is impossible or unwise (PID
// 1 cannot die of its own signal; a core-dumping signal would leave a core
// of nrun, not of the app), and the caller then exits with 128+sig.
func Reraise(sig syscall.Signal) {
	if os.Getpid() == 1 || dumpsCore(sig) {
		return
	}
	// Reset restores an ignore nrun inherited; then nrun would survive,
	// and the caller falls back to the exit code.
	signal.Reset(sig)
	if ignoredOnEntry[sig] || signal.Ignored(sig) {
		return
	}
	_ = unix.Kill(os.Getpid(), sig)
	// Another thread may take the signal, and the runtime's handler there
	// kills the process; this goroutine must not exit first.
	time.Sleep(time.Second)
}

func dumpsCore(sig syscall.Signal) bool {
	switch sig {
	case unix.SIGQUIT, unix.SIGILL, unix.SIGTRAP, unix.SIGABRT, unix.SIGBUS,
		unix.SIGFPE, unix.SIGSEGV, unix.SIGSYS, unix.SIGXCPU, unix.SIGXFSZ:
		return true
	}
	return false
}
