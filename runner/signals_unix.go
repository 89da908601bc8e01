//go:build unix

package runner

import (
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// forwarded lists the signals nrun passes to a child it waits for. The child
// shares nrun's process group, so a terminal already sends SIGINT, SIGQUIT,
// SIGWINCH and SIGTSTP to both: nrun catches INT and QUIT only to survive
// until the child has decided, and leaves job control at its defaults so
// Ctrl-Z stops nrun and the child together. Signals nrun started with
// ignored stay ignored (catching them would un-ignore them for children).
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

// fromTerminal reports the signals a terminal sends to the whole
// foreground group; the child got them already.
func fromTerminal(s os.Signal) bool {
	return s == unix.SIGINT || s == unix.SIGQUIT
}

func childAttr() *syscall.SysProcAttr { return nil }
