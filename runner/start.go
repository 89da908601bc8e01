package runner

import (
	"errors"
	"syscall"
	"time"
)

// retryStart calls start until the program starts or fails for good,
// retrying what sh retries: an interrupted call, a file still open for
// writing (a package manager that just installed it closes it in a
// moment), and a file with no #! line, which runs with the shell.
// Windows retries its own kind of busy file the same way.
func retryStart(path string, argv []string, start func(path string, argv []string) error) error {
	for busy := 0; ; {
		err := start(path, argv)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case fileBusy(err) && busy < 10:
			busy++
			time.Sleep(time.Duration(busy) * 5 * time.Millisecond)
			continue
		case errors.Is(err, syscall.ENOEXEC):
			if p, a := scriptArgv(path, argv); p != path {
				path, argv = p, a
				continue
			}
		}
		return startError(path, err)
	}
}
