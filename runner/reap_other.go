//go:build unix && !linux

package runner

import "syscall"

// becomeSubreaper: only Linux has subreapers (FreeBSD's procctl reaper is
// not used yet); orphans go to init, and teardown sees the process group.
func becomeSubreaper() bool { return false }

func setParentDeathSignal(*syscall.SysProcAttr) {}

// leftovers: without /proc's children lists nrun knows only the group.
func leftovers() []int { return nil }
