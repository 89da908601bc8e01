//go:build !linux

package runner

import (
	"syscall"
	"time"
)

// inNamespace: PID namespaces are Linux's; elsewhere the program starts
// as it is.
func inNamespace(_ *syscall.SysProcAttr, path string, argv []string, _ time.Duration) (string, []string) {
	return path, argv
}

// NSInit is never called outside Linux.
func NSInit([]string) (int, bool) { return 0, false }
