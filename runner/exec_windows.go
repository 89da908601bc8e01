package runner

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"

	"golang.org/x/sys/windows"
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

// shellArgv: cmd.exe gets the line after /d /s /c; spawn_windows.go gives
// it the command line npm gives it. Another shell (--shell bash) gets -c.
func shellArgv(sh, line string) []string {
	if isCmd(sh) {
		return []string{sh, "/d", "/s", "/c", line}
	}
	return []string{sh, "-c", line}
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
