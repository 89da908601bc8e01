//go:build !unix

package runner

import (
	"os"
	"syscall"
)

// forwarded: the console sends Ctrl-C to every process attached to it, so
// nrun catches it only to outlive the child and report its status.
func forwarded() []os.Signal { return []os.Signal{os.Interrupt} }

func fromTerminal(s os.Signal) bool { return s == os.Interrupt }

func childAttr() *syscall.SysProcAttr { return nil }
