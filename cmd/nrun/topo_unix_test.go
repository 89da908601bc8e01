//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nrunjs/nrun/internal/testfs"
)

// topoMonorepo writes the monorepo of the dependency tests: a depends on
// b, b on c (devDependencies, workspace:*), d peer-depends on a, e has no
// script and f depends on nothing. Each workspace's script "job" is
// `nrun-probe job` logging to ROOT/log, with the extra flags of probe.
func topoMonorepo(t *testing.T, probe map[string]string) string {
	t.Helper()
	deps := map[string]string{
		"a": `"dependencies":{"b":"^1.0.0"}`,
		"b": `"devDependencies":{"c":"workspace:*"}`,
		"c": `"dependencies":{}`,
		"d": `"peerDependencies":{"a":"*"}`,
		"f": `"optionalDependencies":{}`,
	}
	files := map[string]string{
		"package.json":            `{"name":"root","private":true,"workspaces":["packages/*"]}`,
		"packages/e/package.json": `{"name":"e","version":"1.0.0","dependencies":{"a":"1.0.0"}}`,
	}
	for name, dep := range deps {
		files["packages/"+name+"/package.json"] = fmt.Sprintf(`{"name":%q,"version":"1.0.0",%s,"scripts":{"job":"nrun-probe job -log ../../log -name %s %s"}}`,
			name, dep, name, probe[name])
	}
	return testfs.Tree(t, files)
}

// logLines reads the shared job log.
func logLines(t *testing.T, root string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "log"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.FieldsFunc(string(data), func(r rune) bool { return r == '\n' })
}

// TestTopologicalParallelWaits: with --parallel, a job starts only after
// the jobs of its dependencies have ended, while an independent job runs
// at once. c holds until the test releases it; meanwhile f must run to
// its end and nothing that depends on c, directly or not, may start.
func TestTopologicalParallelWaits(t *testing.T) {
	root := topoMonorepo(t, map[string]string{"c": "-hold ../../release"})
	cmd := nrunCmd(t, root, "--workspaces", "--if-present", "--topological", "--parallel", "job")
	cmd.Env = append(cmd.Env, "PROBE_PDEATHSIG=0")
	out := startCollecting(t, cmd)
	if !probePoll(func() bool {
		l := logLines(t, root)
		return slices.Contains(l, "start c") && slices.Contains(l, "end f")
	}) {
		t.Fatalf("c did not start or f did not end: %q\n%s", logLines(t, root), out.String())
	}
	for _, w := range []string{"a", "b", "d"} {
		if slices.Contains(logLines(t, root), "start "+w) {
			t.Errorf("%s started while c, which it depends on, was still running: %q", w, logLines(t, root))
		}
	}
	testfs.Write(t, root, "release", "go")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("nrun: %v\n%s", err, out.String())
	}
	log := logLines(t, root)
	at := func(ev string) int {
		i := slices.Index(log, ev)
		if i < 0 {
			t.Fatalf("%s missing from the log %q", ev, log)
		}
		return i
	}
	for job, dep := range map[string]string{"b": "c", "a": "b", "d": "a"} {
		if at("start "+job) < at("end "+dep) {
			t.Errorf("%s started before %s ended: %q", job, dep, log)
		}
	}
}

// topoStarts runs cmd in the fixture root and returns the workspaces in
// the order their jobs started.
func topoStarts(t *testing.T, root string, cmd *exec.Cmd) []string {
	t.Helper()
	os.Remove(filepath.Join(root, "log"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd.Args, err, out)
	}
	var ws []string
	for _, l := range logLines(t, root) {
		if w, ok := strings.CutPrefix(l, "start "); ok {
			ws = append(ws, w)
		}
	}
	return ws
}

// checkOrderLike compares the order in which nrun and another tool ran
// the fixture's jobs: the same workspaces, and those in chain (in its
// order) in the same order.
func checkOrderLike(t *testing.T, tool string, want, got, chain []string) {
	t.Helper()
	t.Logf("%s ran %q, nrun %q", tool, want, got)
	if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
		t.Fatalf("nrun ran %q, %s %q", got, tool, want)
	}
	only := func(order []string) []string {
		return slices.DeleteFunc(slices.Clone(order), func(w string) bool { return !slices.Contains(chain, w) })
	}
	if !slices.Equal(only(got), only(want)) {
		t.Errorf("dependency order: nrun %q, %s %q", only(got), tool, only(want))
	}
}

// TestTopologicalMatchesPnpm runs the fixture's jobs one at a time under
// nrun --topological and under the real `pnpm -r run`, which sorts by
// dependencies by default. With link-workspace-packages on, pnpm links a
// dependency on a workspace by any range that its version satisfies, as
// nrun takes one by name; pnpm's default links only `workspace:` specs
// (docs/workspaces.md). Both must run the same workspaces (e, without the
// script, in neither), and the workspaces tied by dependencies (c, b, a,
// d) in the same order. Ties are ordered differently, and f, which has no
// dependency either way, is left out: pnpm runs every workspace whose
// dependencies are done before any that waits, nrun the first ready one
// in npm's order.
func TestTopologicalMatchesPnpm(t *testing.T) {
	pnpm := testfs.Pnpm(t)
	root := topoMonorepo(t, nil)
	testfs.Write(t, root, "pnpm-workspace.yaml", "packages:\n  - 'packages/*'\n")
	got := topoStarts(t, root, nrunCmd(t, root, "--workspaces", "--if-present", "--topological", "job"))
	cmd := groupCmd(t, root, pnpm, "-r", "--workspace-concurrency=1",
		"--config.link-workspace-packages=true", "--config.verify-deps-before-run=false", "run", "job")
	cmd.Env = append(testfs.ToolEnv(t), "GORACE=atexit_sleep_ms=0")
	checkOrderLike(t, "pnpm "+testfs.PnpmVersion, topoStarts(t, root, cmd), got, []string{"c", "b", "a", "d"})
}

// TestTopologicalMatchesYarn does the same beside yarn 4's `workspaces
// foreach -t --topological-dev`, which orders through dependencies and,
// with that flag, devDependencies, by any range a workspace satisfies,
// but never through peerDependencies: d, which only peer-depends on a, is
// left out with f. yarn runs nothing before the project is installed,
// which here needs no registry: every dependency is a workspace.
func TestTopologicalMatchesYarn(t *testing.T) {
	yarn := testfs.Yarn(t)
	root := topoMonorepo(t, nil)
	got := topoStarts(t, root, nrunCmd(t, root, "--workspaces", "--if-present", "--topological", "job"))
	env := append(testfs.ToolEnv(t), "GORACE=atexit_sleep_ms=0", "YARN_ENABLE_IMMUTABLE_INSTALLS=false", "YARN_ENABLE_TELEMETRY=0")
	install := groupCmd(t, root, yarn, "install")
	install.Env = env
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("yarn install: %v\n%s", err, out)
	}
	cmd := groupCmd(t, root, yarn, "workspaces", "foreach", "-A", "-t", "--topological-dev", "run", "job")
	cmd.Env = env
	checkOrderLike(t, "yarn "+testfs.YarnVersion, topoStarts(t, root, cmd), got, []string{"c", "b", "a"})
}
