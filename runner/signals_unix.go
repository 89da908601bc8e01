//go:build unix

package runner

import (
	"os"

	"golang.org/x/sys/unix"
)

// stops reports the signals that end a shell with no handlers: once nrun
// got one, it runs nothing more after the child, as sh would have died.
func stops(s os.Signal) bool {
	switch s {
	case unix.SIGTERM, unix.SIGINT, unix.SIGHUP, unix.SIGQUIT:
		return true
	}
	return false
}
