//go:build !unix

package runner

import (
	"os"
	"syscall"
)

// exitStatus passes the child's 32-bit exit code on.
func exitStatus(ps *os.ProcessState) status {
	return status{code: ps.ExitCode()}
}

// Reraise does nothing where a process cannot die of a signal.
func Reraise(syscall.Signal) {}
