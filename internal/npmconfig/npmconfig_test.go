package npmconfig

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// npmOrSkip returns npm's global root, or skips the test visibly.
func npmOrSkip(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"npm", "node", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: the comparison with npm cannot run", tool)
		}
	}
	out, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Fatalf("npm root -g: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "npm")
}

// TestTableMatchesNpm regenerates the table from the machine's npm: a
// difference means npm's settings changed and `go generate` is due.
func TestTableMatchesNpm(t *testing.T) {
	root := npmOrSkip(t)
	out, err := exec.Command("node", "gen.js", root).Output()
	if err != nil {
		t.Fatalf("node gen.js: %v", err)
	}
	want, err := os.ReadFile("table.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("table.go is not what gen.js makes from the npm on this machine (%s); run go generate ./internal/npmconfig", root)
	}
}

// npmCases are command lines after `npm run`; "show" is the script.
var npmCases = [][]string{
	{"show"},
	{"show", "--env=prod", "x"},
	{"--foo=bar", "show"},
	{"--app:port=3", "show"},
	{"show", "--app:port=3", "y"},
	{"--foo", "show"},
	{"show", "--foo", "bar"},
	{"show", "--foo", "true", "x"},
	{"show", "--no-foo"},
	{"show", "--no-no-foo"},
	{"--FOO=1", "show"},
	{"show", "--a-b=c"},
	{"show", "--foo=1", "--foo=2"},
	{"show", "-x"},
	{"show", "-abc"},
	{"show", "--loglevel=silent"},
	{"show", "-s", "y"},
	{"show", "--silent"},
	{"show", "-d"},
	{"show", "--json"},
	{"show", "--json=false"},
	{"show", "--if-pres"},
	{"show", "--if-present"},
	{"show", "--ignore-scripts"},
	{"show", "--_auth=x", "--@s:registry=y"},
	{"show", "--foo=", "x"},
	{"show", "---x"},
	{"show", "--x=a=b"},
	{"show", "--dry-run"},
	{"show", "--color=false"},
	{"show", "--no-color"},
	{"show", "--save"},
	{"show", "--save", "false"},
	{"show", "--", "--foo=1", "-s"},
	{"show", "--n=5"},
	{"show", "-y"},
	{"show", "--parseable"},
	{"show", "--fetch-retries=02"},
	{"show", "--fetch-retries=x"},
	{"show", "--fetch-retries", "5"},
	{"show", "--foo=true"},
	{"show", "--foo=02"},
	{"show", "--foo=null"},
	{"show", "--foo=${HOME}/x"},
	{"show", "--omit=dev", "--omit=peer"},
	{"show", "--tag"},
	{"show", "--tag", "x"},
	{"show", "--tag", "-x"},
	{"show", "--before=2020-01-01"},
	{"show", "--umask=022"},
	{"show", "--registry=HTTP://Example.COM"},
	{"show", "--registry=nope"},
	{"show", "--init-version=v1.2.3"},
	{"show", "--loglevel", "info", "z"},
	{"show", "--loglevel"},
	{"show", "--access", "public"},
	{"show", "--browser", "firefox"},
	{"show", "--yes", "no"},
	{"show", "--depth", "3"},
	{"show", "--cache=~/c"},
	{"show", "--userconfig=rel/npmrc"},
	{"show", "--script-shell=bash"},
	{"show", "--node-options=--no-warnings"},
	{"show", "--workspace-root"},
	{"show", "--save-dev", "-E"},
	{"show", "--foo.bar=1"},
	{"show", "--include=dev"},
	{"show", "-ddd"},
	{"show", "-q"},
	{"show", "-porcelain"},
	{"show", "-C"},
}

const dumpJS = `const base = JSON.parse(process.env.BASE || '{}');
const env = {};
for (const [k, v] of Object.entries(process.env)) {
  if (k.startsWith('npm_config_') && k !== 'npm_config_user_agent' && base[k] !== v) env[k] = v;
}
process.stdout.write(JSON.stringify({env, args: process.argv.slice(2)}));`

type npmSaw struct {
	Env  map[string]string `json:"env"`
	Args []string          `json:"args"`
}

// TestParseAsNpm runs each command line under `npm run` and compares the
// arguments and npm_config_* variables the script sees with Parse's. bash
// is the script shell, so that names dash would drop reach the script.
func TestParseAsNpm(t *testing.T) {
	npmOrSkip(t)
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	pkg := `{"name":"app","version":"1.0.0","config":{"port":"0"},"scripts":{"show":"node dump.js"}}`
	for name, body := range map[string]string{"package.json": pkg, "dump.js": dumpJS} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	environ := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "npm_config_script_shell=/bin/bash", "npm_config_update_notifier=false", "npm_config_cache=" + filepath.Join(dir, "cache")}
	runNpm := func(t *testing.T, args []string, base string) (npmSaw, string) {
		cmd := exec.Command("npm", append([]string{"run"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(slices.Clip(environ), "BASE="+base)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		var saw npmSaw
		// npm prints "> app@1.0.0 show" first: the script's line is last.
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if err != nil || json.Unmarshal([]byte(lines[len(lines)-1]), &saw) != nil {
			return saw, "npm failed: " + stderr.String() + string(out)
		}
		return saw, ""
	}
	// What npm exports whatever the command line: the baseline the
	// script subtracts.
	base, msg := runNpm(t, []string{"show"}, "{}")
	if msg != "" {
		t.Fatal(msg)
	}
	baseJSON, _ := json.Marshal(base.Env)
	lookup := func(k string) (string, bool) {
		for _, kv := range environ {
			if name, v, _ := strings.Cut(kv, "="); name == k {
				return v, true
			}
		}
		return "", false
	}
	for _, args := range npmCases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			saw, msg := runNpm(t, args, string(baseJSON))
			if msg != "" {
				t.Skipf("npm refuses this command line: %s", msg)
			}
			r := Parse(args, Context{Dir: dir, Home: home, Lookup: lookup})
			got := map[string]string{}
			for _, kv := range r.Env() {
				k, v, _ := strings.Cut(kv, "=")
				got[k] = v
			}
			want := saw.Env
			if want == nil {
				want = map[string]string{}
			}
			if len(r.Args) == 0 || r.Args[0] != "show" {
				t.Fatalf("positional %q: the script name is not first", r.Args)
			}
			if !slices.Equal(r.Args[1:], saw.Args) && !(len(r.Args) == 1 && len(saw.Args) == 0) {
				t.Errorf("arguments: nrun %q, npm %q", r.Args[1:], saw.Args)
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: nrun %q, npm %q", k, got[k], v)
				}
			}
			for k, v := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("%s=%q: npm does not set it", k, v)
				}
			}
		})
	}
}
