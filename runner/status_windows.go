package runner

import (
	"os"
	"syscall"
)

// statusControlCExit is the exit code of a process ended by Ctrl-C
// (STATUS_CONTROL_C_EXIT).
const statusControlCExit = 0xC000013A

// exitStatus passes the child's 32-bit exit code on, unchanged: nrun exits
// with it (os.Exit gives ExitProcess the same 32 bits). A child ended by
// Ctrl-C stops the run, as a child that died of SIGINT does on Unix.
func exitStatus(ps *os.ProcessState) status {
	code := int(uint32(ps.ExitCode()))
	return status{code: code, stop: code == statusControlCExit}
}

// Reraise does nothing where a process cannot die of a signal.
func Reraise(syscall.Signal) {}
