//go:build unix

package runner

import (
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// forwarded lists the signals nrun passes to a child it waits for.
//
// A child in nrun's process group gets a terminal's SIGINT, SIGQUIT,
// SIGWINCH and SIGTSTP from the terminal itself: nrun catches INT and QUIT
// only to outlive the child and report its status, and leaves job control
// at its defaults so Ctrl-Z stops nrun and the child together.
//
// A child leading its own group (a shell that must stay a parent) gets
// every catchable signal nrun receives, sent to the whole group.
//
// Signals nrun started with ignored stay ignored: catching them would
// un-ignore them for every later child.
func forwarded(ownGroup bool) []os.Signal {
	list := []os.Signal{unix.SIGTERM, unix.SIGHUP, unix.SIGINT, unix.SIGQUIT,
		unix.SIGUSR1, unix.SIGUSR2, unix.SIGALRM}
	if ownGroup {
		list = append(list, unix.SIGWINCH, unix.SIGPIPE)
	}
	var out []os.Signal
	for _, s := range list {
		if !signal.Ignored(s) {
			out = append(out, s)
		}
	}
	return out
}

// forward passes one signal on. The child may have exited already; that
// is normal and the waiter will report it.
func forward(p *os.Process, s os.Signal, ownGroup bool) {
	sig, _ := s.(syscall.Signal)
	switch {
	case ownGroup:
		_ = unix.Kill(-p.Pid, sig)
	case sig != unix.SIGINT && sig != unix.SIGQUIT:
		_ = p.Signal(s)
	}
}

// stops reports the signals that end a shell with no handlers: once nrun
// got one, it runs nothing more after the child, as sh would have died.
func stops(s os.Signal) bool {
	switch s {
	case unix.SIGTERM, unix.SIGINT, unix.SIGHUP, unix.SIGQUIT:
		return true
	}
	return false
}

func childAttr(ownGroup bool) *syscall.SysProcAttr {
	if ownGroup {
		return &syscall.SysProcAttr{Setpgid: true}
	}
	return nil
}
