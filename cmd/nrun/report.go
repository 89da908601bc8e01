package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nrunjs/nrun/runner"
)

// reportedJob is one job in the file --report writes. A job that never
// started (its dependency failed, a bail, a race or Ctrl-C came first)
// has null for everything it did not do.
type reportedJob struct {
	Workspace  *string `json:"workspace"`
	Script     string  `json:"script"`
	Status     *int    `json:"status"` // 128+N for a death by signal N
	Signal     *string `json:"signal"`
	DurationMs *int64  `json:"durationMs"`
	StartedAt  *string `json:"startedAt"` // RFC 3339, UTC, to the millisecond
}

// writeReport writes one object per job, in the run's order, to path
// (relative to where nrun was started), through a temporary file and a
// rename so that a reader never sees half a report.
func writeReport(path, cwd string, jobs []job, results []runner.Result, workspaces bool) error {
	out := make([]reportedJob, len(jobs))
	for i, j := range jobs {
		rj := reportedJob{Script: j.script}
		if workspaces {
			name := pkgName(j.pkg)
			rj.Workspace = &name
		}
		if i < len(results) && !results[i].Started.IsZero() {
			r := results[i]
			code, ms := r.Code, r.Took.Milliseconds()
			at := r.Started.UTC().Format("2006-01-02T15:04:05.000Z07:00")
			rj.Status, rj.DurationMs, rj.StartedAt = &code, &ms, &at
			if r.Signal != 0 {
				name := signalName(r.Signal)
				rj.Signal = &name
			}
		}
		out[i] = rj
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(cwd, path)
	}
	var b strings.Builder
	if err := writeJSON(&b, out); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("cannot write the report: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot write the report: %w", err)
	}
	return nil
}
