package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/nrunjs/nrun/runner"
)

// Exit codes of nrun's own failures. A script's own status is
// passed through unchanged.
const (
	exitFailure       = 1   // no package.json, missing script, bad JSON
	exitUsage         = 2   // unknown option or bad flag value
	exitNotExecutable = 126 // the command exists but cannot be run
	exitNotFound      = 127 // the command does not exist
)

// usageError is a mistake on nrun's own command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() + " (see nrun --help)" }
func (e usageError) Unwrap() error { return e.err }

// exitCode is the one place where errors become exit codes and messages.
// A script that failed is its own message: nrun adds nothing to it; one
// that died of a signal makes nrun die of it too.
func exitCode(err error, stderr io.Writer) int {
	var exit *runner.ExitError
	if errors.As(err, &exit) && exit.Signal != 0 {
		runner.Reraise(exit.Signal) // returns only if nrun survived
	}
	return codeOf(err, stderr)
}

// codeOf maps an error to nrun's exit code and prints nrun's own errors.
func codeOf(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var exit *runner.ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	fmt.Fprintf(stderr, "nrun: %v\n", err)
	var usage usageError
	switch {
	case errors.As(err, &usage):
		return exitUsage
	case errors.Is(err, runner.ErrNotFound):
		return exitNotFound
	case errors.Is(err, runner.ErrNotExecutable):
		return exitNotExecutable
	}
	return exitFailure
}
