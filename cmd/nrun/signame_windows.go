package main

import "syscall"

// signalName: no process dies of a signal on Windows; Go's name it is.
func signalName(sig syscall.Signal) string { return sig.String() }
