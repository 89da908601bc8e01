//go:build !unix

package runner

import (
	"os"
	"strings"
)

// defaultShell is cmd.exe, as for npm.
func defaultShell() string {
	if s := os.Getenv("ComSpec"); s != "" {
		return s
	}
	return "cmd.exe"
}

func shellArgv(sh, line string) []string {
	if strings.HasSuffix(strings.ToLower(sh), "cmd.exe") {
		return []string{sh, "/d", "/s", "/c", line}
	}
	return []string{sh, "-c", line}
}

// CanExec tells whether the last program can replace nrun here.
const CanExec = false

// execve cannot replace a process here; Run starts a child instead.
func execve(string, []string, []string, string) error { return errNoExec }

func scriptArgv(path string, argv []string) (string, []string) { return path, argv }

func startError(path string, err error) error {
	return &os.PathError{Op: "exec", Path: path, Err: err}
}
