package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/nrunjs/nrun/internal/testfs"
)

// monorepo writes a root with three workspaces; c lacks the script "env".
func monorepo(t *testing.T) string {
	t.Helper()
	return testfs.Tree(t, map[string]string{
		"package.json":            `{"name":"root","private":true,"workspaces":["packages/*"]}`,
		"packages/a/package.json": `{"name":"@m/a","version":"1.0.0","config":{"port":1},"scripts":{"env":"nrun-probe env -all","preenv":"nrun-probe exit 0"}}`,
		"packages/b/package.json": `{"name":"@m/b","version":"2.0.0","scripts":{"env":"nrun-probe env -all"}}`,
		"packages/c/package.json": `{"name":"@m/c","version":"3.0.0","scripts":{"other":"nrun-probe exit 0"}}`,
	})
}

// envOf reads `nrun-probe env -all` output into a map.
func envOf(t *testing.T, out []byte) map[string]string {
	env := map[string]string{}
	for _, kv := range parseProbeEnv(t, out) {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return env
}

// TestWorkspaceEnvMatchesNpm: `nrun -w X script` gives the script the
// variables `npm run -w X script` gives it.
func TestWorkspaceEnvMatchesNpm(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("SKIP: npm not installed; the workspace comparison with npm did not run")
	}
	root := monorepo(t)
	trustedBins(t, root) // the root's .bin, which both put on PATH
	home := t.TempDir()
	for _, ws := range []string{"@m/a", "packages/b"} {
		run := func(prog string, args ...string) map[string]string {
			cmd := exec.Command(prog, args...)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "HOME="+home, "npm_config_update_notifier=false", "npm_config_fund=false", "GORACE=atexit_sleep_ms=0")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s %v: %v", prog, args, err)
			}
			return envOf(t, out)
		}
		want := run(npm, "run", "-s", "-w", ws, "env")
		got := run("nrun", "-s", "-w", ws, "env")
		for _, k := range []string{"npm_package_name", "npm_package_version", "npm_package_json", "npm_package_config_port",
			"npm_lifecycle_event", "npm_lifecycle_script", "INIT_CWD", "PWD"} {
			if got[k] != want[k] {
				t.Errorf("-w %s: %s = %q, npm %q", ws, k, got[k], want[k])
			}
		}
		// npm lists every ancestor's .bin, nrun those that exist.
		if gotBins, wantBins := binEntries(got["PATH"]), binEntries(strings.Join(withoutAbsentBins(filepath.SplitList(want["PATH"])), ":")); strings.Join(gotBins, ":") != strings.Join(wantBins, ":") || len(gotBins) != 2 {
			t.Errorf("-w %s: .bin entries %q, npm %q", ws, gotBins, wantBins)
		}
	}
}

// binEntries keeps PATH's node_modules/.bin entries, in order, once each
// (npm repeats them when it nests).
func binEntries(path string) []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range filepath.SplitList(path) {
		if strings.HasSuffix(d, "node_modules/.bin") && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// TestParallelCtrlCTearsDown: SIGINT to a parallel run reaches every
// script once, and nothing of any tree is left.
func TestParallelCtrlCTearsDown(t *testing.T) {
	dir := newPackage(t, map[string]string{
		"a": "nrun-probe orphan -n 1 -setsid -pidfile agpids && nrun-probe signals -ready aready -exit-on INT",
		"b": "nrun-probe signals -ready bready -exit-on INT",
	})
	cmd := nrunCmd(t, dir, "--parallel", "a", "b")
	cmd.Env = append(cmd.Env, "PROBE_PDEATHSIG=0")
	var out strings.Builder
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForFile(t, filepath.Join(dir, "aready"))
	waitForFile(t, filepath.Join(dir, "bready"))
	grandchild, _ := strconv.Atoi(strings.TrimSpace(waitForFile(t, filepath.Join(dir, "agpids"))))
	t.Cleanup(func() { _ = syscall.Kill(grandchild, syscall.SIGKILL) })
	tree := descendantsOf(cmd.Process.Pid)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	for _, name := range []string{"[a] got int", "[b] got int"} {
		if n := strings.Count(out.String(), name); n != 1 {
			t.Errorf("%q appears %d times:\n%s", name, n, out.String())
		}
	}
	if !probePoll(func() bool { return allExited(append(tree, grandchild)) }) {
		t.Fatalf("the tree %v (grandchild %d) outlived the parallel run", tree, grandchild)
	}
}
