//go:build unix && !linux

package runner

import (
	"syscall"
	"time"
)

// becomeSubreaper: only Linux has subreapers (FreeBSD's procctl reaper is
// not used yet); orphans go to init, and teardown sees the process group.
func becomeSubreaper(Options) error { return errNoSubreaper }

func setParentDeathSignal(*syscall.SysProcAttr) {}

// leftovers: without /proc's children lists nrun knows only the group.
func leftovers() []int { return nil }

// inNamespace: PID namespaces are Linux's; elsewhere the program starts
// as it is.
func inNamespace(_ *syscall.SysProcAttr, path string, argv []string, _ time.Duration) (string, []string) {
	return path, argv
}

// trimStartupPages: only Linux's /proc says which pages are the binary's.
func trimStartupPages() {}
