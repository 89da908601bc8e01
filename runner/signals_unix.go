//go:build unix

package runner

import (
	"os"
	"os/signal"

	"golang.org/x/sys/unix"
)

// forwarded lists the signals nrun passes to a child that shares its
// process group. The terminal already sends SIGINT, SIGQUIT, SIGWINCH and
// SIGTSTP to both: nrun catches INT and QUIT only to outlive the child and
// report its status, and leaves job control at its defaults so Ctrl-Z
// stops nrun and the child together. Signals nrun started with ignored
// stay ignored: catching them would un-ignore them for every later child.
func forwarded() []os.Signal {
	var out []os.Signal
	for _, s := range []os.Signal{unix.SIGTERM, unix.SIGHUP, unix.SIGINT, unix.SIGQUIT,
		unix.SIGUSR1, unix.SIGUSR2, unix.SIGALRM} {
		if !signal.Ignored(s) {
			out = append(out, s)
		}
	}
	return out
}

// forward passes one signal on, but not the ones the terminal has sent
// the child already. The child may have exited meanwhile; that is normal.
func forward(p *os.Process, s os.Signal) {
	if s != unix.SIGINT && s != unix.SIGQUIT {
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
