package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/nrunjs/nrun/internal/proctest"
	"github.com/nrunjs/nrun/internal/testfs"
)

// jobsOf returns nrun's live children: the programs of the jobs of a
// parallel run that are running.
func jobsOf(pid int) []int {
	return slices.DeleteFunc(proctest.Children(pid), proctest.Exited)
}

// runningInLog lists the jobs the log shows started and not yet ended.
func runningInLog(lines []string) []string {
	var out []string
	for _, l := range lines {
		verb, name, _ := strings.Cut(l, " ")
		if verb == "start" {
			out = append(out, name)
		} else {
			out = slices.DeleteFunc(out, func(n string) bool { return n == name })
		}
	}
	return out
}

// TestMaxParallelCap: with --max-parallel 2, five jobs that each hold
// until released never run more than two at a time, counted as nrun's
// children in /proc at each step, and start in the order given.
func TestMaxParallelCap(t *testing.T) {
	scripts := map[string]string{}
	names := []string{"j1", "j2", "j3", "j4", "j5"}
	for _, n := range names {
		scripts[n] = fmt.Sprintf("nrun-probe job -log log -name %s -hold release-%s", n, n)
	}
	dir := newPackage(t, scripts)
	cmd := nrunCmd(t, dir, append([]string{"--parallel", "--max-parallel", "2"}, names...)...)
	out := startCollecting(t, cmd)
	for ended := 0; ended < len(names); ended++ {
		want := min(2, len(names)-ended)
		var running []string
		if !probePoll(func() bool { running = runningInLog(logLines(t, dir)); return len(running) == want }) {
			t.Fatalf("expected %d jobs running, the log shows %q\n%s", want, logLines(t, dir), out.String())
		}
		if kids := jobsOf(cmd.Process.Pid); len(kids) > 2 {
			t.Fatalf("%d jobs at once with a cap of 2: %v; log %q", len(kids), kids, logLines(t, dir))
		}
		testfs.Write(t, dir, "release-"+running[0], "go")
		if !probePoll(func() bool { return slices.Contains(logLines(t, dir), "end "+running[0]) }) {
			t.Fatalf("%s did not end once released", running[0])
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("nrun: %v\n%s", err, out.String())
	}
	var starts []string
	for _, l := range logLines(t, dir) {
		if name, ok := strings.CutPrefix(l, "start "); ok {
			starts = append(starts, name)
		}
	}
	// The first two start together, in either order; each later one only
	// when a place is free, so in the order given.
	slices.Sort(starts[:min(2, len(starts))])
	if !slices.Equal(starts, names) {
		t.Errorf("jobs started in the order %q, want %q (the first two in any order)", starts, names)
	}
}

// TestRaceLeavesNothing: with --race, the first job to succeed ends the
// run with status 0, and the others' trees, a grandchild in a session of
// its own included, are gone when nrun has exited.
func TestRaceLeavesNothing(t *testing.T) {
	dir := newPackage(t, map[string]string{
		"win":  "nrun-probe job -log log -name wait -hold bready && nrun-probe job -log log -name win -hold cready",
		"slow": "nrun-probe orphan -n 1 -setsid -pidfile bgpids && nrun-probe sleep -ready bready",
		"lazy": "nrun-probe sleep -ready cready",
	})
	cmd := nrunCmd(t, dir, "--parallel", "--race", "win", "slow", "lazy")
	cmd.Env = append(cmd.Env, "PROBE_PDEATHSIG=0")
	out := startCollecting(t, cmd)
	var pids []int
	for _, f := range []string{"bready", "cready"} {
		var pid int
		fmt.Sscanf(waitForFile(t, filepath.Join(dir, f)), "pid=%d", &pid)
		pids = append(pids, pid)
	}
	grandchild, _ := strconv.Atoi(strings.TrimSpace(waitForFile(t, filepath.Join(dir, "bgpids"))))
	t.Cleanup(func() {
		for _, p := range append(pids, grandchild) {
			_ = syscall.Kill(p, syscall.SIGKILL)
		}
	})
	tree := append(descendantsOf(cmd.Process.Pid), grandchild)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("nrun after a won race: %v\n%s", err, out.String())
	}
	if !slices.Contains(logLines(t, dir), "end win") {
		t.Fatalf("the winner did not run to its end: %q", logLines(t, dir))
	}
	// Every process of the run has been reaped by its parent by the time
	// nrun exits; the grandchild, reparented, may still be on its way out.
	if !probePoll(func() bool { return allExited(tree) }) {
		var left []int
		for _, p := range tree {
			if !probeHasExited(p) {
				left = append(left, p)
			}
		}
		t.Fatalf("%v of the tree %v outlived the race", left, tree)
	}
}
