//go:build unix

package main

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// signalName is a signal's usual name, SIGSEGV.
func signalName(sig syscall.Signal) string {
	if name := unix.SignalName(sig); name != "" {
		return name
	}
	return sig.String()
}
