//go:build unix

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readReport reads a --report file.
func readReport(t *testing.T, path string) []reportedJob {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []reportedJob
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, data)
	}
	return out
}

// TestReportStatuses: the report gives each job's exit status, 128+N
// and the signal's name for a death by signal, a start time within the
// run and a duration, one after another and at once alike. A script that
// dies of a core-dumping signal (sh killing itself, with cores off) is
// named too, though its own nrun, when it supervises, exits 128+N rather
// than dying of it; a script that exits 134 did not die of a signal.
func TestReportStatuses(t *testing.T) {
	dir := newPackage(t, map[string]string{
		"ok":    "nrun-probe exit 0",
		"fail":  "nrun-probe exit 3",
		"die":   "nrun-probe die TERM",
		"abort": "ulimit -c 0; kill -ABRT $$",
		"quit":  "ulimit -c 0; kill -QUIT $$",
		"exit":  "exit 134",
	})
	modes := [][]string{{"--sequential"}, {"--sequential", "--supervise"}, {"--parallel"}}
	for _, mode := range modes {
		name := strings.Join(mode, "")
		t.Run(name, func(t *testing.T) {
			report := filepath.Join(dir, "report"+name+".json")
			before := time.Now().Truncate(time.Millisecond)
			args := append(slices.Clone(mode), "--no-bail", "--report", report, "ok", "fail", "die", "abort", "quit", "exit")
			cmd := nrunCmd(t, dir, args...)
			out, err := cmd.CombinedOutput()
			after := time.Now()
			if code := cmd.ProcessState.ExitCode(); code != 3 {
				t.Fatalf("exit %d (%v), want the first failure's 3\n%s", code, err, out)
			}
			got := readReport(t, report)
			want := []struct {
				script string
				status int
				signal string
			}{
				{"ok", 0, ""}, {"fail", 3, ""}, {"die", 128 + int(syscall.SIGTERM), "SIGTERM"},
				{"abort", 128 + int(syscall.SIGABRT), "SIGABRT"}, {"quit", 128 + int(syscall.SIGQUIT), "SIGQUIT"},
				{"exit", 134, ""},
			}
			if len(got) != len(want) {
				t.Fatalf("%d jobs reported, want %d: %+v", len(got), len(want), got)
			}
			for i, w := range want {
				g := got[i]
				if g.Workspace != nil || g.Script != w.script || g.Status == nil || *g.Status != w.status {
					t.Errorf("job %d: %+v, want script %s status %d and no workspace", i, g, w.script, w.status)
				}
				if sig := deref(g.Signal); sig != w.signal {
					t.Errorf("job %d: signal %q, want %q", i, sig, w.signal)
				}
				started, err := time.Parse(time.RFC3339, deref(g.StartedAt))
				if err != nil || started.Before(before) || started.After(after) {
					t.Errorf("job %d: startedAt %q (%v) outside the run [%v, %v]", i, deref(g.StartedAt), err, before, after)
				}
				if g.DurationMs == nil || *g.DurationMs < 0 || time.Duration(*g.DurationMs)*time.Millisecond > after.Sub(before) {
					t.Errorf("job %d: durationMs %v for a run of %v", i, g.DurationMs, after.Sub(before))
				}
			}
		})
	}
}

// TestReportTopological: workspaces are named; a job that never started,
// because a dependency failed, has null status and times.
func TestReportTopological(t *testing.T) {
	root := topoMonorepo(t, map[string]string{"b": "-exit 4"})
	report := filepath.Join(root, "report.json")
	cmd := nrunCmd(t, root, "--workspaces", "--if-present", "--topological", "--parallel", "--report", "report.json", "job")
	if out, err := cmd.CombinedOutput(); cmd.ProcessState.ExitCode() != 1 {
		t.Fatalf("exit %v, want 1\n%s", err, out)
	}
	got := map[string]reportedJob{}
	for _, j := range readReport(t, report) {
		got[deref(j.Workspace)] = j
	}
	for ws, status := range map[string]int{"c": 0, "b": 4, "f": 0} {
		if j := got[ws]; j.Status == nil || *j.Status != status || j.StartedAt == nil || j.Script != "job" {
			t.Errorf("%s: %+v, want status %d", ws, j, status)
		}
	}
	for _, ws := range []string{"a", "d"} {
		if j, ok := got[ws]; !ok || j.Status != nil || j.StartedAt != nil || j.DurationMs != nil || j.Signal != nil {
			t.Errorf("%s never started, reported as %+v", ws, j)
		}
	}
	if len(got) != 5 {
		t.Errorf("%d workspaces reported, want 5: %v", len(got), got)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
