//go:build !unix

package runner

import (
	"os"
	"syscall"
)

// forwarded: the console sends Ctrl-C to every process attached to it, so
// nrun catches it only to outlive the child and report its status.
func forwarded(bool) []os.Signal { return []os.Signal{os.Interrupt} }

func forward(*os.Process, os.Signal, bool) {}

func stops(s os.Signal) bool { return s == os.Interrupt }

func childAttr(bool) *syscall.SysProcAttr { return nil }
