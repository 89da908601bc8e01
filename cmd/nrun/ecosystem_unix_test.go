//go:build unix

package main

// The ecosystem suite: testdata/ecosystem is a project whose scripts use the
// tools that surround `npm run` — npm-run-all2, concurrently, wireit,
// cross-env, dotenv-cli and `$npm_execpath run` with npm's flags. Each
// scenario runs under the real `npm run` and under `nrun run`, and the
// output, the exit status and what every leaf program saw (argv, working
// directory, environment) must agree, minus the differences that
// docs/ecosystem.md lists.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/testfs"
)

// ecoFixture is the project, relative to this package.
var ecoFixture = filepath.Join("..", "..", "testdata", "ecosystem")

// ecoScenario is one run of the fixture under both runners.
type ecoScenario struct {
	args []string // after `npm run` and `nrun run`: the script, npm's flags, arguments
	// unordered: programs run at once, so only the set of output lines is
	// compared, not their order.
	unordered bool
	// sh: run lines with the default shell (npm's `sh`) instead of bash.
	sh bool
	// nrun, when set, is nrun's own command line for what npm runs with
	// args: nrun's multi-script options against npm-run-all2's. Their
	// output and status are compared, not the leaves' environments, which
	// differ by design (npm-run-all2 hands npm_package_config_* back to npm
	// as settings).
	nrun []string
}

var ecoScenarios = []ecoScenario{
	{args: []string{"show"}},
	{args: []string{"fail"}},
	{args: []string{"dollar0"}, sh: true},
	// npm's grammar at the top: arguments after --, config flags before
	// and after the script name.
	{args: []string{"show", "--", "--env=prod", "x"}},
	{args: []string{"show", "--env=prod", "x"}},
	{args: []string{"--foo=bar", "show"}},
	// npm-run-all2: every task is `$npm_execpath run --<pkg>:<key>=<value>
	// ... <task>`, one flag per npm_package_config_* variable.
	{args: []string{"seq"}},
	{args: []string{"par"}, unordered: true},
	{args: []string{"glob"}},
	{args: []string{"mixed"}, unordered: true},
	{args: []string{"placeholder"}},
	{args: []string{"placeholder-all"}, unordered: true},
	{args: []string{"bail"}},
	// concurrently's npm: prefix starts `npm run <task>`: the real npm,
	// under either runner.
	{args: []string{"conc"}, unordered: true},
	{args: []string{"conc-glob"}, unordered: true},
	{args: []string{"wire"}},
	{args: []string{"crossenv"}},
	{args: []string{"dotenv"}},
	// $npm_execpath run ...: npm's CLI under npm, nrun under nrun.
	{args: []string{"execpath"}},
	{args: []string{"execpath-flag"}},
	{args: []string{"execpath-pkg"}},
	{args: []string{"execpath-after"}},
	// What package-manager detectors conclude from the user agent.
	{args: []string{"detect"}},
	// nrun's --sequential/--parallel beside npm-run-all2's run-s/run-p:
	// globs and argument placeholders.
	{args: []string{"seq"}, nrun: []string{"--sequential", "task:a", "task:b"}},
	{args: []string{"glob"}, nrun: []string{"--sequential", "task:*"}},
	{args: []string{"placeholder"}, nrun: []string{"--sequential", "task -- {1}", "--", "x"}},
	{args: []string{"placeholder-all"}, nrun: []string{"--sequential", "task -- {@}", "--", "a", "b c"}},
	{args: []string{"placeholder-star"}, nrun: []string{"--sequential", "task -- {*} {2:-two} {3:=three} {3}", "--", "a", "b c"}},
	{args: []string{"placeholder-each"}, nrun: []string{"--sequential", "task -- {%}", "--", "a", "b c"}},
}

// ecoRecord is what leaf.js saw, from its LABEL.N.json.
type ecoRecord struct {
	Label string            `json:"label"`
	Args  []string          `json:"args"`
	Cwd   string            `json:"cwd"`
	Env   map[string]string `json:"env"`
}

// ecoOutcome is one runner's run of a scenario.
type ecoOutcome struct {
	stdout, stderr string
	status         tsStatus
	records        map[string]ecoRecord // by file name, LABEL.N
}

// ecoTimeout ends a run that hangs (a runner waiting for itself, say).
const ecoTimeout = 2 * time.Minute

// TestEcosystem runs every scenario under npm and under nrun in a copy of
// the fixture whose node_modules `npm ci` installed (once per lockfile; see
// ecoInstall) and compares, as separate subtests, the output, the exit
// status, what each leaf saw, and whether it saw a user agent.
func TestEcosystem(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("SKIP: npm not installed; the ecosystem suite did not run")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("SKIP: node not installed; the ecosystem suite did not run")
	}
	nrun, err := exec.LookPath("nrun")
	if err != nil {
		t.Fatal(err)
	}
	// With bash as the script shell of both runners (and of every npm
	// they start) leaves see every variable npm sets: Debian's dash drops
	// names such as npm_config_<pkg>:<key> from what it passes on.
	bash, bashErr := exec.LookPath("bash")
	if bashErr != nil {
		t.Logf("no bash: every scenario runs with sh, and only variables whose names sh keeps are compared")
	}

	modules := ecoInstall(t)
	base := t.TempDir()
	pkg := ecoProject(t, base, modules)
	env := ecoEnv(t, base)
	shellEnv := func(sc ecoScenario) []string {
		if sc.sh || bashErr != nil {
			return env
		}
		return append(slices.Clone(env), "npm_config_script_shell="+bash)
	}

	// What npm sets in every run from its defaults and .npmrc files, and
	// nrun, which reads no npm configuration, does not.
	plain := ecoScenario{args: []string{"show"}}
	npmPlain, nrunPlain := ecoBoth(t, pkg, shellEnv(plain), filepath.Join(base, "records", "baseline"), npm, nrun, plain)
	want, got := npmPlain.records["show.1"], nrunPlain.records["show.1"]
	if want.Env == nil || got.Env == nil {
		t.Fatalf("the plain run of show left no record:\nnpm: %s%s\nnrun: %s%s", npmPlain.stdout, npmPlain.stderr, nrunPlain.stdout, nrunPlain.stderr)
	}
	cmp := ecoComparer{npmConfig: map[string]bool{}, npmExecpath: want.Env["npm_execpath"], nrun: nrun}
	for k := range want.Env {
		if _, set := got.Env[k]; strings.HasPrefix(k, "npm_config_") && !set && k != ecoUserAgent {
			cmp.npmConfig[k] = true
		}
	}
	t.Logf("npm %s sets from its own configuration: %s", ecoVersion(npm), strings.Join(slices.Sorted(maps.Keys(cmp.npmConfig)), " "))

	for i, sc := range ecoScenarios {
		t.Run(strings.Join(sc.args, " "), func(t *testing.T) {
			t.Parallel()
			want, got := ecoBoth(t, pkg, shellEnv(sc), filepath.Join(base, "records", fmt.Sprint(i)), npm, nrun, sc)
			failed := false
			check := func(name string, diffs []string) {
				t.Run(name, func(t *testing.T) {
					if len(diffs) > 0 {
						failed = true
						t.Errorf("npm and nrun differ:\n%s", strings.Join(diffs, "\n"))
					}
				})
			}
			check("status", ecoDiffStatus(want.status, got.status))
			check("stdout", ecoDiffLines(ecoOutput(want.stdout, sc.unordered), ecoOutput(got.stdout, sc.unordered)))
			if sc.nrun == nil {
				check("leaves", cmp.records(want.records, got.records, sc.sh || bashErr != nil))
				check("user-agent", ecoDiffUserAgent(want.records, got.records))
			}
			if failed {
				t.Logf("npm run %s\nstdout:\n%s\nstderr:\n%s", strings.Join(sc.args, " "), want.stdout, want.stderr)
				t.Logf("nrun %q\nstdout:\n%s\nstderr:\n%s", append([]string{"run"}, sc.args...), got.stdout, got.stderr)
			}
		})
	}
}

// ecoBoth runs the scenario under npm, then under nrun, with the same
// environment (ECO_RECORDS included), and returns both outcomes.
func ecoBoth(t *testing.T, pkg string, env []string, records, npm, nrun string, sc ecoScenario) (want, got ecoOutcome) {
	t.Helper()
	env = append(slices.Clone(env), "ECO_RECORDS="+records)
	args := append([]string{"run"}, sc.args...)
	want = ecoRun(t, pkg, env, records, npm, args...)
	if sc.nrun != nil {
		args = sc.nrun
	}
	got = ecoRun(t, pkg, env, records, nrun, args...)
	return want, got
}

// ecoRun runs one runner in its own process group, reads the leaves'
// records, and makes sure nothing of the group outlives the run.
func ecoRun(t *testing.T, dir string, env []string, records, prog string, args ...string) ecoOutcome {
	t.Helper()
	if err := os.RemoveAll(records); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(records, 0o777); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), ecoTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	waitErr := cmd.Wait()
	if ctx.Err() != nil {
		t.Fatalf("%s %q did not end within %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(prog), args, ecoTimeout, &stdout, &stderr)
	}
	// Every program the run started has ended with it: none holds its
	// output open, none is left in its group.
	leftover := errors.Is(waitErr, exec.ErrWaitDelay)
	if leftover {
		waitErr = nil
		if !cmd.ProcessState.Success() {
			waitErr = &exec.ExitError{ProcessState: cmd.ProcessState}
		}
	}
	if leftover || !probePoll(func() bool { return syscall.Kill(-pgid, 0) == syscall.ESRCH }) {
		syscall.Kill(-pgid, syscall.SIGKILL)
		t.Errorf("%s %q left processes running", filepath.Base(prog), args)
	}
	status, err := tsStatusOf(waitErr)
	if err != nil {
		t.Fatalf("%s %q: %v", filepath.Base(prog), args, err)
	}
	out := ecoOutcome{stdout: stdout.String(), stderr: stderr.String(), status: status, records: map[string]ecoRecord{}}
	files, err := filepath.Glob(filepath.Join(records, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r ecoRecord
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out.records[strings.TrimSuffix(filepath.Base(f), ".json")] = r
	}
	return out
}

// ecoOutput is the stdout to compare: without npm's banner ("> pkg@1.0.0
// name" and "> command" between blank lines), which nrun prints only to a
// terminal, and sorted when the programs ran at once.
func ecoOutput(stdout string, unordered bool) []string {
	var lines []string
	for _, l := range strings.Split(stdout, "\n") {
		if l == "" || strings.HasPrefix(l, "> ") {
			continue
		}
		lines = append(lines, l)
	}
	if unordered {
		slices.Sort(lines)
	}
	return lines
}

func ecoDiffStatus(want, got tsStatus) []string {
	if want == got {
		return nil
	}
	return []string{fmt.Sprintf("npm: %v\nnrun: %v", want, got)}
}

// ecoDiffLines lists the lines only one side printed, in order, marked
// "- npm" and "+ nrun".
func ecoDiffLines(want, got []string) []string {
	if slices.Equal(want, got) {
		return nil
	}
	var diffs []string
	for _, l := range want {
		if !slices.Contains(got, l) {
			diffs = append(diffs, "- npm:  "+l)
		}
	}
	for _, l := range got {
		if !slices.Contains(want, l) {
			diffs = append(diffs, "+ nrun: "+l)
		}
	}
	if len(diffs) == 0 {
		diffs = append(diffs, fmt.Sprintf("the same lines in another order:\nnpm:  %q\nnrun: %q", want, got))
	}
	return diffs
}

// ecoUserAgent is compared on its own: its value names the runner, so
// only whether a leaf saw one is compared.
const ecoUserAgent = "npm_config_user_agent"

func ecoDiffUserAgent(want, got map[string]ecoRecord) []string {
	var diffs []string
	for _, name := range slices.Sorted(maps.Keys(want)) {
		w, wok := want[name].Env[ecoUserAgent]
		g, gok := got[name].Env[ecoUserAgent]
		if _, ran := got[name]; ran && wok != gok {
			diffs = append(diffs, fmt.Sprintf("%s: npm %s, nrun %s", name, ecoShowVar(w, wok), ecoShowVar(g, gok)))
		}
	}
	return diffs
}

// ecoComparer compares the leaves' records, knowing the deliberate
// differences (docs/ecosystem.md).
type ecoComparer struct {
	npmConfig   map[string]bool // npm_config_* npm sets from its own configuration
	npmExecpath string          // npm's npm_execpath
	nrun        string
}

// ecoIgnored are variables that npm or its shell set and nrun leaves as
// inherited, on purpose.
var ecoIgnored = map[string]bool{
	"COLOR":  true, // npm's color setting
	"EDITOR": true, // npm's editor setting
	"_":      true, // bash's last command, which it exports to the programs it starts
	// What `node --run` sets and nrun sets too; npm does not, and an npm
	// that nrun starts passes nrun's values on.
	"NODE_RUN_SCRIPT_NAME":       true,
	"NODE_RUN_PACKAGE_JSON_PATH": true,
}

// records compares every leaf run: the same set of runs, and for each the
// same argv, working directory and environment. shOnly leaves out names
// that /bin/sh cannot hold, which dash drops under npm.
func (c ecoComparer) records(want, got map[string]ecoRecord, shOnly bool) []string {
	var diffs []string
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if _, ok := got[name]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: ran under npm, not under nrun", name))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		w, ok := want[name]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s: ran under nrun, not under npm", name))
			continue
		}
		g := got[name]
		if !slices.Equal(w.Args, g.Args) {
			diffs = append(diffs, fmt.Sprintf("%s: argv: npm %q, nrun %q", name, w.Args, g.Args))
		}
		if w.Cwd != g.Cwd {
			diffs = append(diffs, fmt.Sprintf("%s: cwd: npm %q, nrun %q", name, w.Cwd, g.Cwd))
		}
		keys := slices.Sorted(maps.Keys(w.Env))
		for k := range g.Env {
			if _, dup := w.Env[k]; !dup {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if ecoIgnored[k] || k == ecoUserAgent || c.npmConfig[k] || shOnly && !shellName.MatchString(k) {
				continue
			}
			wv, wok := w.Env[k]
			gv, gok := g.Env[k]
			if wok && gok {
				wv, gv = c.normalize(k, wv), c.normalize(k, gv)
			}
			if wok != gok || wv != gv {
				diffs = append(diffs, fmt.Sprintf("%s: %s: npm %s, nrun %s", name, k, ecoShowVar(wv, wok), ecoShowVar(gv, gok)))
			}
		}
	}
	return diffs
}

// normalize maps the values that differ by design to what they stand for.
func (c ecoComparer) normalize(key, value string) string {
	switch key {
	case "npm_execpath":
		// npm's CLI under npm, nrun under nrun (and npm's CLI again below
		// an `npm run` that concurrently starts): the runner, either way.
		if value == c.npmExecpath {
			return "(a runner)"
		}
		if fi1, err1 := os.Stat(value); err1 == nil {
			if fi2, err2 := os.Stat(c.nrun); err2 == nil && os.SameFile(fi1, fi2) {
				return "(a runner)"
			}
		}
	case "NODE", "npm_node_execpath":
		// npm reports the node running it, links resolved; nrun the node
		// PATH names.
		if resolved, err := filepath.EvalSymlinks(value); err == nil {
			return resolved
		}
	case "PATH":
		// npm adds its bundled node-gyp's directory, which nrun does not
		// have, and a nested npm adds the .bin directories once more, where
		// nrun runs `$npm_execpath run x` in place: each directory counts
		// once, in the order it first appears. npm also lists ancestors'
		// .bin directories that do not exist, which nrun leaves off.
		var dirs []string
		for _, d := range withoutAbsentBins(filepath.SplitList(value)) {
			if filepath.Base(d) != "node-gyp-bin" && !slices.Contains(dirs, d) {
				dirs = append(dirs, d)
			}
		}
		return strings.Join(dirs, string(filepath.ListSeparator))
	}
	return value
}

func ecoShowVar(v string, set bool) string {
	if !set {
		return "unset"
	}
	return fmt.Sprintf("%q", v)
}

// ecoEnv is both runners' environment: nothing an outer npm, node --run or
// nrun set, a home of the test's own whose .npmrc keeps npm off the network
// and out of the user's cache, and wireit's plain, timing-free log.
func ecoEnv(t *testing.T, base string) []string {
	t.Helper()
	home := filepath.Join(base, "home")
	if err := os.MkdirAll(home, 0o777); err != nil {
		t.Fatal(err)
	}
	npmrc := "update-notifier=false\nfund=false\naudit=false\ncache=" + filepath.Join(base, "npm-cache") + "\n"
	if err := os.WriteFile(filepath.Join(home, ".npmrc"), []byte(npmrc), 0o666); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range testfs.NpmFree(os.Environ()) {
		k, _, _ := strings.Cut(kv, "=")
		if k != "HOME" && k != "PWD" && !strings.HasPrefix(k, "WIREIT_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"HOME="+home,
		"WIREIT_LOGGER=simple",
		"WIREIT_CACHE=none",
		"GORACE=atexit_sleep_ms=0",
	)
}

// ecoProject lays out the fixture in base/pkg (its physical path, as both
// runners see it) with node_modules linked to the installed one.
func ecoProject(t *testing.T, base, modules string) string {
	t.Helper()
	pkg := filepath.Join(base, "pkg")
	if err := os.MkdirAll(pkg, 0o777); err != nil {
		t.Fatal(err)
	}
	// The fixture's files, not what an install by hand left beside them
	// (node_modules, wireit's .wireit).
	entries, err := os.ReadDir(ecoFixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(ecoFixture, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkg, e.Name()), data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(modules, filepath.Join(pkg, "node_modules")); err != nil {
		t.Fatal(err)
	}
	pkg, err = filepath.EvalSymlinks(pkg)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

// ecoInstall returns a node_modules that `npm ci` installed from the
// fixture's lockfile. It is kept in the user's cache directory under the
// lockfile's hash, so only a changed lockfile installs again.
func ecoInstall(t *testing.T) string {
	t.Helper()
	lock, err := os.ReadFile(filepath.Join(ecoFixture, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile(filepath.Join(ecoFixture, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(lock)
	dir, err := testfs.Cached(t, "nrun-ecosystem", hex.EncodeToString(sum[:8]), func(dir string) error {
		for name, data := range map[string][]byte{"package.json": manifest, "package-lock.json": lock} {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o666); err != nil {
				return err
			}
		}
		return testfs.NpmInstall(dir, "ci", "--ignore-scripts")
	})
	if err != nil {
		t.Fatalf("the ecosystem fixture: %v", err)
	}
	return filepath.Join(dir, "node_modules")
}

// ecoVersion is what `npm --version` prints, for the log.
func ecoVersion(npm string) string {
	out, err := exec.Command(npm, "--version").Output()
	if err != nil {
		return "(unknown version)"
	}
	return strings.TrimSpace(string(out))
}
