package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/nrunjs/nrun/runner"
)

// A job of a multi-job run is an nrun of its own. When its script dies of
// a signal, that nrun dies of the same signal, so the outer nrun reads the
// death in the job's wait status, except where dying is impossible or
// unwise (a core-dumping signal, a signal nrun started with ignored): then
// it exits with 128+N, which an exit(134) of the script would give as well.
// So that the outer nrun can tell the two apart, and report the signal
// only for a real death by it, each job's nrun writes the signal's number
// to a file the outer nrun names with --signal-file.

// signalNotes is the directory that holds the notes of one run's jobs.
type signalNotes string

// newSignalNotes makes the directory of a run's notes.
func newSignalNotes() (signalNotes, error) {
	dir, err := os.MkdirTemp("", "nrun-signals-")
	if err != nil {
		return "", fmt.Errorf("cannot make a directory for the jobs' statuses: %w", err)
	}
	return signalNotes(dir), nil
}

// file is where the job's nrun writes its note.
func (n signalNotes) file(j job) string {
	if n == "" {
		return ""
	}
	return filepath.Join(string(n), strconv.Itoa(j.pos))
}

// apply gives each job that exited with 128+N, and noted that its script
// died of signal N, that signal, as if the outer nrun had seen the death.
func (n signalNotes) apply(jobs []job, results []runner.Result) {
	for i := range results {
		r := &results[i]
		if r.Signal != 0 || r.Started.IsZero() || r.Code <= 128 {
			continue
		}
		data, err := os.ReadFile(n.file(jobs[i]))
		if err != nil {
			continue // no note: the job did not die of a signal
		}
		sig, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err == nil && r.Code == 128+sig {
			r.Signal = syscall.Signal(sig)
		}
	}
}

func (n signalNotes) remove() { os.RemoveAll(string(n)) }

// noteSignal writes, for the outer nrun of a multi-job run, the signal the
// script died of, and returns err unchanged. A note that cannot be
// written leaves the job's status as it is, only without the name.
func noteSignal(cfg *config, err error) error {
	var exit *runner.ExitError
	if cfg.signalFile != "" && errors.As(err, &exit) && exit.Signal != 0 {
		_ = os.WriteFile(cfg.signalFile, []byte(strconv.Itoa(int(exit.Signal))+"\n"), 0o644)
	}
	return err
}
