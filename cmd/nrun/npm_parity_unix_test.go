//go:build unix

package main

// The truth for nrun's environment is the real npm: these tests
// run one fixture under `npm run` and under nrun, from a subdirectory, and
// compare what each step's program receives.

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/testfs"
)

// parityFixtures are package.json files whose variables npm and nrun must
// agree on. Each has a pre hook; both steps report their argv marker, their
// working directory and their whole environment.
var parityFixtures = map[string]string{
	// bin as an object, and every kind of config value.
	"object-bin": `{
  "name": "@scope/parity-pkg",
  "version": "1.2.3-beta.1",
  "config": {
    "port": 8080, "ratio": 1.50, "big": 1e21, "tiny": 1e-7, "neg": -0,
    "flag": true, "off": false, "nil": null, "empty": "",
    "nested": {"a": {"b": "deep"}, "list": [1, [2, 3], {"x": "y"}, [], {}, null, true]},
    "none": {}, "nothing": [],
    "a_b": "flat first", "a": {"b": "nested second"},
    "10": "ten", "2": "two",
    "my-key": "dash", "dotted.key": "dot", "text": "line\nnext\ttab \"q\" $HOME 'x'",
    "uni\u00e9": "caf\u00e9 \ud83d\ude00"
  },
  "engines": {"node": ">=18", "npm": "^10 || ^11"},
  "bin": {"parity-cli": "./bin/cli.js", "other": "bin//other.js", "sub/x": "./a/../b/x.js", "win": "bin\\win.js", "bad": 5, "up": "../../../x"},
  "scripts": {
    "preshow": "nrun-probe argv BEGIN-preshow && nrun-probe cwd && nrun-probe env -all",
    "show": "nrun-probe argv BEGIN-show && nrun-probe cwd && nrun-probe env -all"
  }
}`,
	// bin as a string: keyed by the package name without its scope.
	"string-bin": `{
  "name": "@scope/string-bin",
  "version": "0.0.1-alpha.0+build.7",
  "config": {"list": ["a", ["b", "c"]]},
  "engines": ["node >= 20"],
  "bin": "./cli.js",
  "scripts": {
    "preshow": "nrun-probe argv BEGIN-preshow && nrun-probe cwd && nrun-probe env -all",
    "show": "nrun-probe argv BEGIN-show && nrun-probe cwd && nrun-probe env -all"
  }
}`,
}

// trustedBins makes dir/node_modules/.bin for each dir, mode 755 whatever
// the umask.
func trustedBins(t *testing.T, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		nm := filepath.Join(d, "node_modules")
		if err := os.MkdirAll(filepath.Join(nm, ".bin"), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{nm, filepath.Join(nm, ".bin")} {
			if err := os.Chmod(p, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// withoutAbsentBins drops from npm's PATH the node_modules/.bin entries
// after the first (the package's own) that do not exist: nrun leaves
// those off.
func withoutAbsentBins(path []string) []string {
	own := true
	return slices.DeleteFunc(path, func(d string) bool {
		if !strings.HasSuffix(d, filepath.Join("node_modules", ".bin")) {
			return false
		}
		if own {
			own = false
			return false
		}
		_, err := os.Stat(d)
		return err != nil
	})
}

// parityCompared are the variables that must be equal, besides every
// npm_package_* variable either side sets.
var parityCompared = []string{
	"npm_lifecycle_event", "npm_lifecycle_script", "npm_command", "npm_config_local_prefix",
	"INIT_CWD", "PWD",
}

// shellName matches the names /bin/sh can hold; dash drops the others from
// the environment it passes on.
var shellName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// TestNpmParity runs each fixture's "show" script (and so its "preshow"
// hook) with `npm run` and with nrun, both started in a subdirectory of a
// package that sits below two more directories, and compares, for each step:
// the npm variables, PATH's node_modules/.bin entries and their order (all
// of PATH, in fact), the working directory, NODE and npm_node_execpath.
// npm_execpath differs by design: npm's is npm-cli.js, nrun's is nrun.
func TestNpmParity(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("SKIP: npm not installed; the comparison with the real npm did not run")
	}
	nrun, err := exec.LookPath("nrun")
	if err != nil {
		t.Fatal(err)
	}
	// npm hands the script to `sh -c`. Debian's dash then drops every
	// variable whose name is not a shell name (npm_package_bin_parity-cli,
	// npm_package_config_my-key...), so the program would never see what
	// npm set. bash passes them on: with it as the shell of both runners
	// the comparison covers everything npm sets.
	bash, bashErr := exec.LookPath("bash")
	if bashErr != nil {
		t.Logf("no bash: comparing only variables whose names /bin/sh keeps")
	}
	for name, fixture := range parityFixtures {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			base := t.TempDir()
			root := filepath.Join(base, "outer", "mid")
			pkgDir := filepath.Join(root, "pkg")
			sub := filepath.Join(pkgDir, "sub", "deeper")
			for _, d := range []string{sub, filepath.Join(base, "home"), filepath.Join(base, "cache")} {
				if err := os.MkdirAll(d, 0o777); err != nil {
					t.Fatal(err)
				}
			}
			// Two ancestors with a node_modules/.bin of the user's, mode 755:
			// both runners put them on PATH.
			trustedBins(t, root, filepath.Dir(root))
			if err := os.WriteFile(filepath.Join(pkgDir, "package.json"), []byte(fixture), 0o666); err != nil {
				t.Fatal(err)
			}
			// The physical paths, as npm's process.cwd() and nrun's getcwd see them.
			pkgDir, err := filepath.EvalSymlinks(pkgDir)
			if err != nil {
				t.Fatal(err)
			}
			sub = filepath.Join(pkgDir, "sub", "deeper")
			env := parityEnv(base)

			npmArgs := []string{"run", "show", "--silent", "--no-update-notifier"}
			nrunArgs := []string{"show"}
			if bashErr == nil {
				// The same shell for nrun, should it give the line to one.
				npmArgs = append(npmArgs, "--script-shell="+bash)
				nrunArgs = []string{"--shell", bash, "show"}
			}
			npmOut := parityRun(t, sub, env, npm, npmArgs...)
			nrunOut := parityRun(t, sub, env, nrun, nrunArgs...)

			for _, step := range []string{"preshow", "show"} {
				t.Run(step, func(t *testing.T) {
					want, got := parityStep(t, npmOut, step), parityStep(t, nrunOut, step)
					if got.cwd != pkgDir || want.cwd != pkgDir {
						t.Errorf("cwd: npm %q, nrun %q, want %q", want.cwd, got.cwd, pkgDir)
					}
					keys := slices.Clone(parityCompared)
					for _, m := range []map[string]string{want.env, got.env} {
						for k := range m {
							if strings.HasPrefix(k, "npm_package_") && !slices.Contains(keys, k) {
								keys = append(keys, k)
							}
						}
					}
					slices.Sort(keys)
					for _, k := range keys {
						if bashErr != nil && !shellName.MatchString(k) {
							continue
						}
						w, wok := want.env[k]
						g, gok := got.env[k]
						switch {
						case !wok && !gok:
							t.Errorf("%s: set by neither npm nor nrun", k)
						case !wok:
							t.Errorf("%s=%q: set by nrun, not by npm", k, g)
						case !gok:
							t.Errorf("%s=%q: set by npm, not by nrun", k, w)
						case w != g:
							t.Errorf("%s: npm %q, nrun %q", k, w, g)
						}
					}
					if want.env["npm_lifecycle_event"] != step {
						t.Errorf("npm_lifecycle_event under npm is %q, want %q", want.env["npm_lifecycle_event"], step)
					}
					if want.env["npm_package_json"] != filepath.Join(pkgDir, "package.json") || want.env["INIT_CWD"] != sub {
						t.Errorf("npm itself: npm_package_json %q, INIT_CWD %q", want.env["npm_package_json"], want.env["INIT_CWD"])
					}

					// PATH: npm puts its own node-gyp-bin directory between the
					// node_modules/.bin entries and the inherited PATH; nrun has
					// no node-gyp and leaves it out. npm also lists every
					// ancestor's node_modules/.bin, where nrun lists those that
					// exist (and that only the user or root can change, as the
					// fixture's do). Everything else, order included, must match.
					npmPath := slices.DeleteFunc(withoutAbsentBins(filepath.SplitList(want.env["PATH"])), func(d string) bool {
						return filepath.Base(d) == "node-gyp-bin"
					})
					nrunPath := filepath.SplitList(got.env["PATH"])
					if !slices.Equal(npmPath, nrunPath) {
						t.Errorf("PATH differs (node-gyp-bin removed from npm's):\nnpm  %q\nnrun %q", npmPath, nrunPath)
					}
					var bins []string
					for _, d := range nrunPath {
						if strings.HasSuffix(d, filepath.Join("node_modules", ".bin")) {
							bins = append(bins, d)
						}
					}
					wantBins := []string{
						filepath.Join(pkgDir, "node_modules", ".bin"),
						filepath.Join(filepath.Dir(pkgDir), "node_modules", ".bin"),
						filepath.Join(filepath.Dir(filepath.Dir(pkgDir)), "node_modules", ".bin"),
					}
					if len(bins) < len(wantBins) || !slices.Equal(bins[:len(wantBins)], wantBins) {
						t.Errorf("PATH's .bin entries: %q, want %q first", bins, wantBins)
					}

					// NODE and npm_node_execpath: npm reports the node running it
					// (process.execPath, symlinks resolved); nrun looks node up on
					// the script's PATH without resolving links, so a Homebrew
					// link or a version manager's shim stays what PATH names.
					// Resolved, they must be the same file.
					for _, k := range []string{"NODE", "npm_node_execpath"} {
						w, g := want.env[k], got.env[k]
						rw, err1 := filepath.EvalSymlinks(w)
						rg, err2 := filepath.EvalSymlinks(g)
						if w == "" || g == "" || err1 != nil || err2 != nil || rw != rg {
							t.Errorf("%s: npm %q, nrun %q (resolved %q, %q)", k, w, g, rw, rg)
						}
					}

					// npm_execpath: npm's own CLI under npm, nrun itself under nrun,
					// so that `$npm_execpath run x` inside a script runs nrun.
					if fi1, err1 := os.Stat(got.env["npm_execpath"]); err1 != nil {
						t.Errorf("npm_execpath under nrun: %v", err1)
					} else if fi2, err2 := os.Stat(nrun); err2 != nil || !os.SameFile(fi1, fi2) {
						t.Errorf("npm_execpath under nrun is %q, not nrun (%s)", got.env["npm_execpath"], nrun)
					}
					if w := want.env["npm_execpath"]; w == "" || w == got.env["npm_execpath"] {
						t.Errorf("npm_execpath under npm is %q", w)
					}

					// No key twice, under either.
					for who, s := range map[string]parityResult{"npm": want, "nrun": got} {
						if len(s.dups) > 0 {
							t.Errorf("%s: keys set twice: %q", who, s.dups)
						}
					}
				})
			}
		})
	}
}

// parityEnv is the test's environment for both runners: nothing an outer
// npm, node --run or nrun may have set, and an npm that neither reads the
// user's configuration nor goes to the network.
func parityEnv(base string) []string {
	var env []string
	for _, kv := range testfs.NpmFree(os.Environ()) {
		k, _, _ := strings.Cut(kv, "=")
		if k != "HOME" && k != "PWD" {
			env = append(env, kv)
		}
	}
	return append(env,
		"HOME="+filepath.Join(base, "home"),
		"npm_config_cache="+filepath.Join(base, "cache"),
		"npm_config_update_notifier=false",
		"npm_config_fund=false",
		"npm_config_audit=false",
		"GORACE=atexit_sleep_ms=0",
		"PROBE_PDEATHSIG=0",
	)
}

// parityRun runs a command in dir and returns its output.
func parityRun(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("%s %q: %v\nstdout:\n%s\nstderr:\n%s", name, args, err, out, stderr)
	}
	return string(out)
}

// parityResult is what one step's probes printed.
type parityResult struct {
	cwd  string
	env  map[string]string
	dups []string
}

// parityStep picks out of the output the block that follows the step's
// BEGIN marker (nrun-probe argv BEGIN-<step>): cwd, then env -all.
func parityStep(t *testing.T, out, step string) parityResult {
	t.Helper()
	r := parityResult{env: map[string]string{}}
	in := false
	found := false
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == `0: "BEGIN-`+step+`"`:
			in, found = true, true
			continue
		case strings.HasPrefix(line, "argc: ") || strings.HasPrefix(line, `0: "BEGIN-`):
			in = false
			continue
		case !in:
			continue
		case strings.HasPrefix(line, "cwd="):
			r.cwd = strings.TrimPrefix(line, "cwd=")
			continue
		case strings.HasPrefix(line, "PWD unset") || strings.HasPrefix(line, "PWD=") && !strings.HasPrefix(line, `PWD="`):
			continue // nrun-probe cwd's own PWD line; env -all reports PWD quoted
		}
		k, q, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("step %s: unexpected line %q", step, line)
		}
		v, err := strconv.Unquote(q)
		if err != nil {
			t.Fatalf("step %s: %q: %v", step, line, err)
		}
		if _, dup := r.env[k]; dup {
			r.dups = append(r.dups, k)
			continue // the first one is getenv's
		}
		r.env[k] = v
	}
	if !found {
		t.Fatalf("no output of step %s in:\n%s", step, out)
	}
	return r
}

// TestNodeRunParity compares the two variables `node --run` sets (Node 22
// and later) with nrun's, for the main script (node --run runs no hooks).
func TestNodeRunParity(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("SKIP: node not installed; the comparison with node --run did not run")
	}
	base := t.TempDir()
	pkgDir := filepath.Join(base, "pkg")
	if err := os.MkdirAll(filepath.Join(base, "home"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(pkgDir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkgDir, "package.json"), []byte(parityFixtures["string-bin"]), 0o666); err != nil {
		t.Fatal(err)
	}
	pkgDir, err = filepath.EvalSymlinks(pkgDir)
	if err != nil {
		t.Fatal(err)
	}
	env := parityEnv(base)
	cmd := exec.Command(node, "--run", "show")
	cmd.Dir = pkgDir
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		if strings.Contains(string(stderr), "bad option") {
			v, _ := exec.Command(node, "--version").Output()
			t.Skipf("SKIP: node %s has no --run; the comparison with node --run did not run", strings.TrimSpace(string(v)))
		}
		t.Fatalf("node --run show: %v\n%s\n%s", err, out, stderr)
	}
	want := parityStep(t, string(out), "show")
	got := parityStep(t, parityRun(t, pkgDir, env, "nrun", "show"), "show")
	for _, k := range []string{"NODE_RUN_SCRIPT_NAME", "NODE_RUN_PACKAGE_JSON_PATH"} {
		if w, g := want.env[k], got.env[k]; w == "" || w != g {
			t.Errorf("%s: node --run %q, nrun %q", k, w, g)
		}
	}
	if want.cwd != got.cwd {
		t.Errorf("cwd: node --run %q, nrun %q", want.cwd, got.cwd)
	}
}

// TestNpmGrammarParity runs command lines in npm's spelling under `npm`
// and under `nrun` and compares what the script receives: its arguments
// and the npm_config_* variables the command line sets (those npm sets
// whatever the command line, from its own configuration, are the baseline
// and left out: the docs list them). Both use bash as the script shell so
// that names dash would drop reach the program.
func TestNpmGrammarParity(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("SKIP: npm not installed; the comparison with npm's command line did not run")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("SKIP: no bash to run both runners' script lines")
	}
	base := t.TempDir()
	pkgDir := filepath.Join(base, "pkg")
	for _, d := range []string{pkgDir, filepath.Join(base, "home"), filepath.Join(base, "cache")} {
		if err := os.MkdirAll(d, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	fixture := `{"name": "app", "version": "1.0.0", "config": {"port": "0"}, "scripts": {
  "show": "nrun-probe argv BEGIN-show && nrun-probe cwd && nrun-probe env -all && nrun-probe argv ARGS"}}`
	if err := os.WriteFile(filepath.Join(pkgDir, "package.json"), []byte(fixture), 0o666); err != nil {
		t.Fatal(err)
	}
	env := append(parityEnv(base), "npm_config_script_shell="+bash)
	baseline := parityStep(t, parityRun(t, pkgDir, env, npm, "run", "show"), "show").env
	for _, args := range [][]string{
		{"run", "show", "--env=prod", "x"},
		{"run", "--foo=bar", "show"},
		{"run", "--app:port=3", "show", "y"},
		{"run", "show", "-s", "y", "--", "--z", "-s"},
		{"run-script", "show", "--no-color", "--json"},
		{"run", "show", "--if-present", "--foo", "bar"},
		{"rum", "show", "--omit=dev", "--omit=peer", "-ddd"},
		{"run", "show", "--tag", "-x", "--foo=1", "--foo=2"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			npmOut, nrunOut := parityRun(t, pkgDir, env, npm, args...), parityRun(t, pkgDir, env, "nrun", args...)
			want, got := parityStep(t, npmOut, "show"), parityStep(t, nrunOut, "show")
			config := func(m map[string]string, skip func(k, v string) bool) map[string]string {
				out := map[string]string{}
				for k, v := range m {
					if strings.HasPrefix(k, "npm_config_") && !skip(k, v) {
						out[k] = v
					}
				}
				return out
			}
			wantCfg := config(want.env, func(k, v string) bool {
				b, ok := baseline[k]
				return ok && b == v || k == "npm_config_user_agent"
			})
			gotCfg := config(got.env, func(k, v string) bool {
				return k == "npm_config_user_agent" || k == "npm_config_local_prefix" || slices.Contains(env, k+"="+v)
			})
			for k, v := range wantCfg {
				if gotCfg[k] != v {
					t.Errorf("%s: npm %q, nrun %q", k, v, gotCfg[k])
				}
			}
			for k, v := range gotCfg {
				if _, ok := wantCfg[k]; !ok {
					t.Errorf("%s=%q: set by nrun, not by npm", k, v)
				}
			}
			if got.cwd != want.cwd {
				t.Errorf("cwd: npm %q, nrun %q", want.cwd, got.cwd)
			}
			// The arguments: argv lines after the marker.
			npmArgv, nrunArgv := parityArgv(t, npmOut), parityArgv(t, nrunOut)
			if !slices.Equal(npmArgv, nrunArgv) {
				t.Errorf("arguments: npm %q, nrun %q", npmArgv, nrunArgv)
			}
			ua := got.env["npm_config_user_agent"]
			if !strings.HasPrefix(ua, "npm/") || !strings.Contains(ua, " nrun/") || !strings.HasPrefix(want.env["npm_config_user_agent"], "npm/") {
				t.Errorf("user agent: npm %q, nrun %q", want.env["npm_config_user_agent"], ua)
			}
		})
	}
}

// parityArgv returns the arguments the script passed to its last
// command, `nrun-probe argv ARGS`.
func parityArgv(t *testing.T, out string) []string {
	t.Helper()
	_, out, _ = strings.Cut(out, `0: "ARGS"`)
	var argv []string
	for _, line := range strings.Split(out, "\n") {
		n, q, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		if _, err := strconv.Atoi(n); err != nil {
			continue
		}
		v, err := strconv.Unquote(q)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		argv = append(argv, v)
	}
	return argv
}
