package runner

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"

	"golang.org/x/sys/windows"

	"github.com/nrunjs/nrun/internal/quote"
	"github.com/nrunjs/nrun/shell"
)

// defaultShell is %ComSpec%, as for npm.
func defaultShell() string {
	if s := os.Getenv("ComSpec"); s != "" {
		return s
	}
	return "cmd.exe"
}

// defaultShellArg0: Windows passes a command line, not an argv[0].
const defaultShellArg0 = ""

// isCmd reports whether sh is cmd.exe, as npm decides it
// (/(?:^|\\)cmd(?:\.exe)?$/i in @npmcli/promise-spawn).
func isCmd(sh string) bool {
	s := strings.ToLower(sh)
	s = s[strings.LastIndexAny(s, `\/`)+1:]
	return s == "cmd" || s == "cmd.exe"
}

// shellArgv: cmd.exe gets the line after /d /s /c, with the extra
// arguments quoted as npm quotes them for cmd.exe (twice over when the
// line's program is a batch file, which cmd reads once more);
// spawn_windows.go passes it on as the command line. Another shell
// (--shell bash) gets -c and the arguments quoted for sh.
func shellArgv(sh string, c shell.Cmd, env Env, dir string) ([]string, error) {
	if !isCmd(sh) {
		return []string{sh, "-c", quote.ShLine(c.Line, c.Args, c.ExecAt)}, nil
	}
	for _, a := range c.Args {
		if !quote.CmdSafe(a) {
			return nil, fmt.Errorf("argument %q: cmd.exe cannot be given a line break", a)
		}
	}
	batch := isBatch(c.Program, commandPath(env, dir), dir)
	return []string{sh, "/d", "/s", "/c", quote.AppendCmd(c.Line, c.Args, batch)}, nil
}

// CanExec tells whether the last program can replace nrun here.
const CanExec = false

// execve cannot replace a process here; CanExec keeps Run from asking.
func execve(string, []string, []string, string) error {
	return errors.New("execve is not available on Windows")
}

func scriptArgv(path string, argv []string) (string, []string) { return path, argv }

// fileBusy: the file is still open elsewhere, as an installer leaves it
// for a moment (Unix's ETXTBSY).
func fileBusy(err error) bool { return errors.Is(err, windows.ERROR_SHARING_VIOLATION) }

// startError classifies why CreateProcess refused a program, as sh's 127
// and 126.
func startError(path string, err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case windows.ERROR_FILE_NOT_FOUND, windows.ERROR_PATH_NOT_FOUND, windows.ERROR_INVALID_NAME:
			return fmt.Errorf("%s: %w", path, ErrNotFound)
		case windows.ERROR_ACCESS_DENIED, windows.ERROR_BAD_EXE_FORMAT, windows.ERROR_EXE_MACHINE_TYPE_MISMATCH,
			windows.ERROR_DIRECTORY:
			return fmt.Errorf("%s: %w (%v)", path, ErrNotExecutable, errno)
		}
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe
	}
	return &os.PathError{Op: "exec", Path: path, Err: err}
}
