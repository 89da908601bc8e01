//go:build !linux

package runner

// NSInit is never called outside Linux: only Linux has PID namespaces.
func NSInit([]string) (int, bool) { return 0, false }
