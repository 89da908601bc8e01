package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// isTerminalFd reports whether fd is a console: NUL and files have no
// console mode.
func isTerminalFd(fd uintptr) bool {
	var mode uint32
	return windows.GetConsoleMode(windows.Handle(fd), &mode) == nil
}

// ownsTerminal reports whether stdin is a console: there is no
// foreground to lose on Windows.
func ownsTerminal() bool { return isTerminalFd(os.Stdin.Fd()) }
