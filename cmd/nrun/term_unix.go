//go:build unix

package main

import "golang.org/x/sys/unix"

// isTerminalFd asks the terminal driver for fd's settings, which only a
// terminal has.
func isTerminalFd(fd uintptr) bool {
	_, err := unix.IoctlGetTermios(int(fd), ioctlGetTermios)
	return err == nil
}

// ownsTerminal reports whether stdin is a terminal whose foreground group
// is nrun's: only then can nrun read it without being stopped (SIGTTIN).
func ownsTerminal() bool {
	fg, err := unix.IoctlGetInt(0, unix.TIOCGPGRP)
	return err == nil && fg == unix.Getpgrp()
}
