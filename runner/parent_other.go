//go:build !linux

package runner

import "sync/atomic"

var parentGone atomic.Bool

// WatchParent: only Linux can signal a process when its parent dies.
func WatchParent() {}
