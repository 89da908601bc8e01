package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/nrunjs/nrun/internal/testfs"
)

// TestJobsStartOnlyTheirPrograms: the jobs of a multi-job run are planned
// in nrun's own process, so a job made of shell builtins starts nothing,
// and a job that runs a program starts that program alone, never another
// nrun or a shell. strace counts every program nrun's tree runs.
func TestJobsStartOnlyTheirPrograms(t *testing.T) {
	strace := needStrace(t, "the programs a run starts cannot be counted")
	nrun, err := exec.LookPath("nrun")
	if err != nil {
		t.Fatal(err)
	}
	dir := testfs.Tree(t, map[string]string{
		"package.json":            `{"name":"root","private":true,"workspaces":["packages/*"]}`,
		"packages/a/package.json": `{"name":"a","version":"1.0.0","scripts":{"noop":"true","prog":"/bin/true"}}`,
		"packages/b/package.json": `{"name":"b","version":"1.0.0","scripts":{"noop":"exit 0","prog":"/bin/true a && /bin/true b"}}`,
		"packages/c/package.json": `{"name":"c","version":"1.0.0","scripts":{"noop":"cd .. && true","prog":"/bin/true"}}`,
	})
	for _, tc := range []struct {
		args []string
		want []string // the programs started besides nrun itself
	}{
		{[]string{"--workspaces", "noop"}, nil},
		{[]string{"--workspaces", "--parallel", "noop"}, nil},
		{[]string{"--workspaces", "prog"}, []string{"/bin/true", "/bin/true", "/bin/true", "/bin/true"}},
		{[]string{"--workspaces", "--parallel", "prog"}, []string{"/bin/true", "/bin/true", "/bin/true", "/bin/true"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "strace")
			cmd := exec.Command(strace, append([]string{"-f", "-qq", "-e", "trace=execve", "-e", "signal=none", "-o", log, nrun}, tc.args...)...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("nrun %s: %v\n%s", tc.args, err, out)
			}
			data, err := os.ReadFile(log)
			if err != nil {
				t.Fatal(err)
			}
			var started []string
			self := true // the first program is nrun itself; any other nrun is a job's
			for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				// pid execve("PATH", ...) = 0
				_, call, _ := strings.Cut(line, " ")
				path, ok := strings.CutPrefix(strings.TrimSpace(call), `execve("`)
				if !ok || !strings.HasSuffix(line, "= 0") {
					continue
				}
				path, _, _ = strings.Cut(path, `"`)
				if self && path == nrun {
					self = false
					continue
				}
				started = append(started, path)
			}
			if strings.Join(started, " ") != strings.Join(tc.want, " ") {
				t.Errorf("nrun %s started %q, want %q\n%s", tc.args, started, tc.want, data)
			}
		})
	}
}

// needStrace is strace's path; without it the test is skipped (failed
// under CI, which installs it), saying what could not be seen.
func needStrace(t *testing.T, unseen string) string {
	t.Helper()
	strace, err := exec.LookPath("strace")
	if err != nil {
		testfs.SkipOrFail(t, "strace is not installed, so %s: %v", unseen, err)
	}
	return strace
}

// TestJobTeardownReapsItsGroup: a job whose program leaves a process in
// its group, which nrun (a subreaper) inherits and then ends, is done as
// soon as that process is: its zombie is reaped, not taken for alive
// until the grace period (here an hour) runs out.
func TestJobTeardownReapsItsGroup(t *testing.T) {
	dir := newPackage(t, map[string]string{
		"leave": "sh -c 'sleep 300 & exit 0'",
		"other": "true",
	})
	cmd := nrunCmd(t, dir, "--parallel", "--grace", "1h", "leave", "other")
	out := startCollecting(t, cmd)
	ended, err := waitEnd(cmd)
	if !ended {
		t.Fatalf("nrun has not ended once the job's group was torn down\n%s", out.String())
	}
	if err != nil {
		t.Fatalf("nrun: %v\n%s", err, out.String())
	}
}

// TestParallelJobsKeepIgnoredSignals: a parallel run started with SIGHUP
// ignored (nohup) hands the ignore to every job, also to those that start
// while another job's program runs: nrun never catches a signal its
// parent ignored while jobs start.
func TestParallelJobsKeepIgnoredSignals(t *testing.T) {
	names := []string{"j1", "j2", "j3"}
	scripts := map[string]string{}
	for _, n := range names {
		scripts[n] = "grep SigIgn /proc/$$/status > " + n + ".ign"
	}
	// j1 holds until the others have written theirs; with a cap of 2, j3
	// starts only once j2 has ended, while j1's program runs.
	scripts["j1"] += "; nrun-probe job -log log -name j1 -hold release"
	dir := newPackage(t, scripts)
	cmd := groupCmd(t, dir, "sh", "-c", `trap "" HUP; exec nrun --parallel --max-parallel 2 j1 j2 j3`)
	out := startCollecting(t, cmd)
	if !probePoll(func() bool {
		return slices.Contains(logLines(t, dir), "start j1") && isFile(filepath.Join(dir, "j2.ign")) && isFile(filepath.Join(dir, "j3.ign"))
	}) {
		t.Fatalf("the jobs did not all start\n%s", out.String())
	}
	testfs.Write(t, dir, "release", "go")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("nrun: %v\n%s", err, out.String())
	}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n+".ign"))
		if err != nil {
			t.Fatal(err)
		}
		mask := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(data)), "SigIgn:"))
		bits, err := strconv.ParseUint(mask, 16, 64)
		if err != nil {
			t.Fatalf("%s: %q: %v", n, data, err)
		}
		if bits&(1<<(syscall.SIGHUP-1)) == 0 {
			t.Errorf("job %s started with SIGHUP not ignored (SigIgn %s), though nrun was started with it ignored", n, mask)
		}
	}
}
