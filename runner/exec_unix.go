//go:build unix

package runner

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/nrunjs/nrun/internal/quote"
	"github.com/nrunjs/nrun/shell"
)

// CanExec tells whether the last program can replace nrun here.
const CanExec = true

// posixShell runs shell lines and files that have no #! line.
const posixShell = "/bin/sh"

func defaultShell() string { return posixShell }

// defaultShellArg0 is argv[0] of the default shell: npm starts "sh" found
// on PATH, so a line's $0 is "sh"; nrun starts /bin/sh under that name.
const defaultShellArg0 = "sh"

// shellArgv runs a shell line as `sh -c LINE`, its extra arguments quoted
// for sh and exec inserted where the planner found it safe.
func shellArgv(sh string, c shell.Cmd, _ Env, _ string) ([]string, error) {
	return []string{sh, "-c", quote.ShLine(c.Line, c.Args, c.ExecAt)}, nil
}

// execve replaces nrun with the program; it returns only on failure.
// unix.Exec (not a raw syscall) takes the runtime's exec lock and restores
// the file-descriptor limit Go raised at start.
func execve(path string, argv, env []string, dir string) error {
	if err := os.Chdir(dir); err != nil {
		return fmt.Errorf("cannot enter the package directory: %w", err)
	}
	return retryStart(path, argv, func(path string, argv []string) error {
		return unix.Exec(path, argv, env)
	})
}

// fileBusy: the file is open for writing (ETXTBSY).
func fileBusy(err error) bool { return errors.Is(err, syscall.ETXTBSY) }

// scriptArgv runs a file that has no #! line with the shell.
func scriptArgv(path string, argv []string) (string, []string) {
	return posixShell, append([]string{posixShell, path}, argv[1:]...)
}

// startError classifies why a program could not start. A missing #!
// interpreter is ENOENT too, and sh reports it as not found.
func startError(path string, err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case unix.ENOENT, unix.ENOTDIR:
			return fmt.Errorf("%s: %w (or its #! interpreter is missing)", path, ErrNotFound)
		case unix.EACCES, unix.EPERM, unix.EISDIR:
			return fmt.Errorf("%s: %w", path, ErrNotExecutable)
		}
	}
	return &os.PathError{Op: "exec", Path: path, Err: err}
}
