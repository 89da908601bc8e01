//go:build unix

package runner

import (
	"os"
	"os/signal"

	"golang.org/x/sys/unix"
)

// catchable lists every signal a supervising nrun forwards: all that can
// be caught but SIGURG (the Go runtime's own), SIGCHLD (nrun reaps) and
// the terminal-access stops, which must keep stopping nrun itself.
var catchable = []os.Signal{unix.SIGHUP, unix.SIGINT, unix.SIGQUIT, unix.SIGABRT,
	unix.SIGUSR1, unix.SIGUSR2, unix.SIGPIPE, unix.SIGALRM, unix.SIGTERM, unix.SIGCONT,
	unix.SIGTSTP, unix.SIGWINCH, unix.SIGVTALRM, unix.SIGXCPU, unix.SIGXFSZ, unix.SIGIO}

// ignoredOnEntry holds the signals nrun's parent started it with ignored
// (sh's background jobs ignore SIGINT and SIGQUIT, nohup SIGHUP), as far
// as the Go runtime keeps them: SIGHUP and SIGINT. It is read once, before
// anything calls signal.Notify, because Notify clears what
// signal.Ignored reports, and signal.Stop does not bring it back.
var ignoredOnEntry = func() map[os.Signal]bool {
	m := map[os.Signal]bool{}
	for _, s := range catchable {
		if signal.Ignored(s) {
			m[s] = true
		}
	}
	return m
}()

// splitIgnored splits sigs into those nrun's parent left alone and those
// it ignored.
func splitIgnored(sigs []os.Signal) (normal, ignored []os.Signal) {
	for _, s := range sigs {
		if ignoredOnEntry[s] {
			ignored = append(ignored, s)
		} else {
			normal = append(normal, s)
		}
	}
	return normal, ignored
}

// stops reports the signals that end a shell with no handlers: once nrun
// got one, it runs nothing more after the child, as sh would have died.
// A signal sh was started with ignored would not have ended it.
func stops(s os.Signal) bool {
	switch s {
	case unix.SIGTERM, unix.SIGINT, unix.SIGHUP, unix.SIGQUIT:
		return !ignoredOnEntry[s]
	}
	return false
}

// StopSignals lists the signals that end a restart loop: those that stop
// a run (stops). A loop around Run listens for them between runs too.
func StopSignals() []os.Signal {
	var out []os.Signal
	for _, s := range []os.Signal{unix.SIGTERM, unix.SIGINT, unix.SIGHUP, unix.SIGQUIT} {
		if stops(s) {
			out = append(out, s)
		}
	}
	return out
}
