//go:build unix

package runner

import (
	"io/fs"

	"golang.org/x/sys/unix"
)

// commandPath is the search path for a command: sh never looks in the
// current directory unless PATH says so.
func commandPath(env Env, _ string) string { return env.Get("PATH") }

// candidates returns the file names tried for one PATH entry.
func candidates(file string) []string { return []string{file} }

// isExecutable asks the kernel, so ACLs, root and noexec mounts count as
// they will for execve.
func isExecutable(path string, _ fs.FileInfo) bool {
	return unix.Access(path, unix.X_OK) == nil
}
