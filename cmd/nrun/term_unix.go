//go:build unix

package main

import "golang.org/x/sys/unix"

// isTerminalFd asks the terminal driver for fd's settings, which only a
// terminal has.
func isTerminalFd(fd uintptr) bool {
	_, err := unix.IoctlGetTermios(int(fd), ioctlGetTermios)
	return err == nil
}
