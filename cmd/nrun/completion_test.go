package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nrunjs/nrun/pkgjson"
)

// completionFixture is the package the completion tests complete against:
// names with ':' (bash splits words there), hooks, a name that is shell
// syntax (it must be offered quoted and never run), and a second package
// in other/ for -C/--prefix.
const completionFixture = `{
  "name": "fixture",
  "scripts": {
    "build": "nrun-probe argv",
    "build:prod": "nrun-probe argv",
    "prebuild": "nrun-probe argv",
    "test": "nrun-probe argv",
    "$(touch PWNED)": "nrun-probe argv",
    "lint": "nrun-probe argv"
  }
}
`

const completionOtherFixture = `{"scripts": {"deploy": "x", "dev": "y"}}`

// writeCompletionFixture makes the fixture packages and returns their root.
func writeCompletionFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(completionFixture), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "other"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "other", "package.json"), []byte(completionOtherFixture), 0o666); err != nil {
		t.Fatal(err)
	}
	return dir
}

// completionEnv is the environment of the shells under test: nrun is the
// test binary (testscript.Main put it on PATH), and a -race build must not
// sleep at exit.
func completionEnv() []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "GORACE=") || strings.HasPrefix(kv, "NRUN_")
	})
	return append(env, "GORACE=atexit_sleep_ms=0")
}

// bashWords splits a command line into COMP_WORDS as bash does with the
// default COMP_WORDBREAKS: at blanks, and ':' and '=' are words of their own.
func bashWords(line string) []string {
	var words []string
	for _, f := range strings.Fields(line) {
		cur := ""
		for _, r := range f {
			if r == ':' || r == '=' {
				if cur != "" {
					words = append(words, cur)
				}
				words = append(words, string(r))
				cur = ""
				continue
			}
			cur += string(r)
		}
		if cur != "" {
			words = append(words, cur)
		}
	}
	if line == "" || strings.HasSuffix(line, " ") {
		words = append(words, "")
	}
	return words
}

// TestCompletionBash sources the generated bash completion in a real bash,
// sets COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT as bash would for
// a command line with the cursor at its end, calls the completion function
// and compares COMPREPLY.
func TestCompletionBash(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SKIP: bash completion is not tested on Windows")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("SKIP: bash is not installed; the bash completion was not run")
	}
	if _, err := exec.LookPath("nrun"); err != nil {
		t.Fatalf("nrun (the test binary) is not on PATH: %v", err)
	}
	t.Parallel()
	dir := writeCompletionFixture(t)
	scriptPath := saveCompletion(t, dir, "bash", "nrun.bash")

	tests := []struct {
		name, line string
		cwd        string // relative to the fixture; "" is the fixture
		want       []string
	}{
		{"prefix", "nrun bu", "", []string{"build", "build:prod"}},
		{"all names in order", "nrun ", "", []string{"build", "build:prod", "prebuild", "test", `\$\(touch\ PWNED\)`, "lint"}},
		{"option", "nrun --if", "", []string{"--if-present"}},
		{"short option", "nrun -C", "", []string{"-C"}},
		{"options then name", "nrun -s --ignore-scripts te", "", []string{"test"}},
		{"after colon", "nrun build:", "", []string{"prod"}},
		{"after colon, partial", "nrun build:p", "", []string{"prod"}},
		{"run spelling", "nrun run te", "", []string{"test"}},
		{"run-script spelling", "nrun run-script li", "", []string{"lint"}},
		{"no options after run", "nrun run --if", "", nil},
		{"after --", "nrun -- te", "", []string{"test"}},
		{"script args are the script's", "nrun build --if", "", nil},
		{"script args, second word", "nrun test foo b", "", nil},
		{"no match", "nrun zzz", "", nil},
		{"shell syntax is not run", "nrun $", "", []string{`\$\(touch\ PWNED\)`}},
		{"-C DIR", "nrun -C other d", "", []string{"deploy", "dev"}},
		{"--prefix DIR", "nrun --prefix other dep", "", []string{"deploy"}},
		{"--prefix=DIR", "nrun --prefix=other dev", "", []string{"dev"}},
		{"-C relative to the working directory", "nrun -C .. bu", "other", []string{"build", "build:prod"}},
		{"nearest package.json", "nrun d", "other", []string{"deploy", "dev"}},
		{"-C takes a directory", "nrun -C oth", "", []string{"other"}},
		{"--prefix= takes a directory", "nrun --prefix=oth", "", []string{"other"}},
		{"--shell takes a file", "nrun --shell nrun.ba", "", []string{"nrun.bash"}},
		{"--grace takes a duration", "nrun --grace ", "", nil},
		{"after --grace's value", "nrun --grace 5s bu", "", []string{"build", "build:prod"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runBashCompletion(t, bash, scriptPath, filepath.Join(dir, tt.cwd), tt.line)
			if !slices.Equal(got, tt.want) {
				t.Errorf("completing %q: COMPREPLY = %q, want %q", tt.line, got, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
		t.Error("a script name was run as a command by the completion")
	}

	t.Run("registered", func(t *testing.T) {
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", `source "$1" && complete -p nrun`, "bash", scriptPath)
		cmd.Env = completionEnv()
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "-F _nrun nrun") {
			t.Errorf("complete -p nrun: %v\n%s", err, out)
		}
	})

	t.Run("no package.json", func(t *testing.T) {
		empty := t.TempDir()
		if p, err := pkgjson.Find(empty); err == nil {
			t.Skipf("SKIP: %s is above the temporary directory", p)
		}
		if got := runBashCompletion(t, bash, scriptPath, empty, "nrun "); len(got) != 0 {
			t.Errorf("COMPREPLY = %q, want nothing", got)
		}
	})
}

// runBashCompletion completes line in bash, in dir, and returns COMPREPLY.
func runBashCompletion(t *testing.T, bash, script, dir, line string) []string {
	t.Helper()
	words := bashWords(line)
	driver := `source "$1" || exit 9
COMP_LINE=$2
COMP_POINT=${#COMP_LINE}
shift 2
COMP_WORDS=("$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMPREPLY=()
_nrun nrun "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" || exit 8
if (( ${#COMPREPLY[@]} )); then printf '%s\0' "${COMPREPLY[@]}"; fi
`
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args := append([]string{"--norc", "--noprofile", "-c", driver, "bash", script, line}, words...)
	cmd := exec.CommandContext(ctx, bash, args...)
	cmd.Dir = dir
	cmd.Env = completionEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("completing %q: %v\nstderr: %s", line, err, stderr.String())
	}
	var got []string
	for _, w := range strings.Split(string(out), "\x00") {
		if w != "" {
			got = append(got, w)
		}
	}
	return got
}

// TestCompletionScripts checks that every shell gets a script that its
// shell parses (where that shell is installed; a skip says which is not),
// and that each names the hidden names flag and every visible option.
func TestCompletionScripts(t *testing.T) {
	for _, sh := range completionShells {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := writeCompletion(&b, sh); err != nil {
				t.Fatal(err)
			}
			text := b.String()
			// fish spells options without dashes (-l if-present).
			for _, want := range []string{"--completion-names", "prefix", "if-present", "ignore-scripts", "silent", "version"} {
				if !strings.Contains(text, want) {
					t.Errorf("the %s script lacks %s", sh, want)
				}
			}
			if m := regexp.MustCompile(`@[A-Z_]+@`).FindString(text); m != "" {
				t.Errorf("the %s script has the unreplaced placeholder %s", sh, m)
			}
			path, err := exec.LookPath(sh)
			if err != nil || runtime.GOOS == "windows" {
				t.Skipf("SKIP: %s is not installed; only generated, not parsed", sh)
			}
			file := filepath.Join(t.TempDir(), "nrun."+sh)
			if err := os.WriteFile(file, b.Bytes(), 0o666); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(path, "-n", file).CombinedOutput()
			if err != nil || len(out) > 0 {
				t.Errorf("%s -n: %v\n%s", sh, err, out)
			}
		})
	}
}

// TestCompletionUnknownShell: an unknown shell is not the builtin (it runs
// the script "completion"), but writeCompletion itself refuses it.
func TestCompletionUnknownShell(t *testing.T) {
	if err := writeCompletion(&bytes.Buffer{}, "tcsh"); err == nil {
		t.Error("writeCompletion(tcsh) succeeded")
	}
}

// saveCompletion writes `nrun completion SHELL` into dir/name.
func saveCompletion(t *testing.T, dir, shell, name string) string {
	t.Helper()
	var script bytes.Buffer
	if err := writeCompletion(&script, shell); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, script.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCompletionFish asks a real fish what it completes (complete -C) with
// the generated script loaded.
func TestCompletionFish(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil || runtime.GOOS == "windows" {
		t.Skip("SKIP: fish is not installed; the fish completion was not run")
	}
	t.Parallel()
	dir := writeCompletionFixture(t)
	scriptPath := saveCompletion(t, dir, "fish", "nrun.fish")
	tests := []struct {
		line string
		want []string // sorted
	}{
		{"nrun bu", []string{"build", "build:prod"}},
		{"nrun build:", []string{"build:prod"}},
		{"nrun --if", []string{"--if-present"}},
		{"nrun -s --ignore-scripts te", []string{"test"}},
		{"nrun run te", []string{"test"}},
		{"nrun -C other d", []string{"deploy", "dev"}},
		{"nrun --prefix other dep", []string{"deploy"}},
		{"nrun --prefix=other dev", []string{"dev"}},
		{"nrun -C oth", []string{"other/"}},
		{"nrun build --if", nil},
		{"nrun build nrun.f", []string{"nrun.fish"}},
		{"nrun --shell nrun.f", []string{"nrun.fish"}},
		{"nrun --grace ", nil},
		{"nrun --grace 5s te", []string{"test"}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, fish, "--no-config", "-c", `source $argv[1]; and complete -C $argv[2]`, scriptPath, tt.line)
			cmd.Dir = dir
			cmd.Env = completionEnv()
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil || stderr.Len() > 0 {
				t.Fatalf("fish: %v\nstderr: %s", err, stderr.String())
			}
			var got []string
			for _, l := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
				if name, _, _ := strings.Cut(l, "\t"); name != "" {
					got = append(got, name)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("complete -C %q = %q, want %q", tt.line, got, tt.want)
			}
		})
	}
}

// TestCompletionZsh runs the generated zsh function with zsh's completion
// builtins replaced by stubs that print what they were given: the function
// decides between script names, options, directories and files, and zsh's
// own matching (not under test) filters by what was typed.
func TestCompletionZsh(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil || runtime.GOOS == "windows" {
		t.Skip("SKIP: zsh is not installed; the zsh completion was not run")
	}
	t.Parallel()
	dir := writeCompletionFixture(t)
	scriptPath := saveCompletion(t, dir, "zsh", "_nrun")
	const driver = `compdef() { : }
compadd() { local a; for a; do :; done; print -rl -- "${(@P)a}" }
_describe() { print -r -- '<options>' }
_files() { print -r -- '<files>' }
_directories() { print -r -- '<directories>' }
_message() { print -r -- '<message>' }
compset() { : }
source $1 || exit 9
shift
words=("$@")
CURRENT=$#words
PREFIX=$words[-1]
_nrun
`
	all := []string{"build", "build:prod", "prebuild", "test", "$(touch PWNED)", "lint"}
	tests := []struct {
		words []string
		want  []string
	}{
		{[]string{"nrun", ""}, all},
		{[]string{"nrun", "bu"}, all},
		{[]string{"nrun", "-s", "--json", ""}, all},
		{[]string{"nrun", "run", ""}, all},
		{[]string{"nrun", "run", "-"}, all},
		{[]string{"nrun", "--", ""}, all},
		{[]string{"nrun", "-C", "other", ""}, []string{"deploy", "dev"}},
		{[]string{"nrun", "--prefix=other", ""}, []string{"deploy", "dev"}},
		{[]string{"nrun", "--if"}, []string{"<options>"}},
		{[]string{"nrun", "-C", ""}, []string{"<directories>"}},
		{[]string{"nrun", "--prefix=o"}, []string{"<directories>"}},
		{[]string{"nrun", "--shell", ""}, []string{"<files>"}},
		{[]string{"nrun", "--grace", ""}, []string{"<message>"}},
		{[]string{"nrun", "--grace", "5s", ""}, all},
		{[]string{"nrun", "build", ""}, []string{"<files>"}},
		{[]string{"nrun", "build", "--if"}, []string{"<files>"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.words, " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			args := append([]string{"-f", "-c", driver, "zsh", scriptPath}, tt.words...)
			cmd := exec.CommandContext(ctx, zsh, args...)
			cmd.Dir = dir
			cmd.Env = completionEnv()
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil || stderr.Len() > 0 {
				t.Fatalf("zsh: %v\nstderr: %s", err, stderr.String())
			}
			got := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
			if !slices.Equal(got, tt.want) {
				t.Errorf("words %q: got %q, want %q", tt.words, got, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
		t.Error("a script name was run as a command by the completion")
	}
}

// The release recipes are tested here too: examples/systemd/app.service and
// examples/docker are documentation that users copy, so their text is
// checked here, and what they promise is proven under a real systemd and
// podman by TestSystemdRecipe and TestDockerRecipe.

// unitFile reads a systemd unit: section -> key -> values, in order.
func unitFile(t *testing.T, path string) map[string]map[string][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	unit := map[string]map[string][]string{}
	section := ""
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[' && line[len(line)-1] == ']':
			section = line[1 : len(line)-1]
			if unit[section] == nil {
				unit[section] = map[string][]string{}
			}
		default:
			key, value, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("%s:%d: not a key=value line in a section: %q", path, i+1, line)
			}
			key = strings.TrimSpace(key)
			unit[section][key] = append(unit[section][key], strings.TrimSpace(value))
		}
	}
	return unit
}

// TestExampleSystemdUnit checks the keys the systemd recipe (docs/deploy.md) relies
// on, and has systemd-analyze verify the unit where it is installed.
func TestExampleSystemdUnit(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "systemd", "app.service")
	unit := unitFile(t, path)
	want := map[string]map[string]string{
		"Service": {
			"Type":             "exec",
			"ExecStart":        "/usr/local/bin/nrun start",
			"KillMode":         "control-group",
			"Restart":          "on-failure",
			"WorkingDirectory": "",
		},
		"Install": {"WantedBy": "multi-user.target"},
	}
	for section, keys := range want {
		for key, value := range keys {
			got, ok := unit[section][key]
			switch {
			case !ok:
				t.Errorf("%s: [%s] has no %s=", path, section, key)
			case len(got) != 1:
				t.Errorf("%s: [%s] %s= is set %d times", path, section, key, len(got))
			case value != "" && got[0] != value:
				t.Errorf("%s: [%s] %s=%s, want %s", path, section, key, got[0], value)
			}
		}
	}
	text, _ := os.ReadFile(path)
	for _, line := range []string{"#Type=notify", "#NotifyAccess=main"} {
		if !slices.Contains(strings.Split(string(text), "\n"), line) {
			t.Errorf("%s: the sd_notify alternative %q is missing", path, line)
		}
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil || runtime.GOOS != "linux" {
		t.Skip("SKIP: systemd-analyze is not installed; the unit was not verified")
	}
	nrun, err := exec.LookPath("nrun")
	if err != nil {
		t.Fatalf("nrun (the test binary) is not on PATH: %v", err)
	}
	// verify checks that ExecStart's program exists and is executable: point
	// it at this nrun and at a directory that exists.
	dir := t.TempDir()
	r := strings.NewReplacer("ExecStart=/usr/local/bin/nrun ", "ExecStart="+nrun+" ",
		"WorkingDirectory=/srv/app", "WorkingDirectory="+dir)
	local := filepath.Join(dir, "app.service")
	if err := os.WriteFile(local, []byte(r.Replace(string(text))), 0o666); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, analyze, "verify", local)
	cmd.Env = append(os.Environ(), "SYSTEMD_LOG_LEVEL=notice", "SYSTEMD_PAGER=")
	out, err := cmd.CombinedOutput()
	// verify exits 0 on unknown keys and bad values, but says so.
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify %s: %v\n%s", path, err, out)
	}
}

// TestExampleDocker checks the Docker recipe: a multi-stage build of the
// static binary into /usr/local/bin/nrun of a Node image, and an exec-form
// CMD ["nrun","start"] with no other init in front. What the image does is
// proven by TestDockerRecipe, which builds it from the runtime stage and
// runs it under podman.
func TestExampleDocker(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "docker")
	data, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var froms, code []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code = append(code, line)
		if f := strings.Fields(line); strings.EqualFold(f[0], "FROM") {
			froms = append(froms, line)
		}
	}
	all := strings.Join(code, "\n")
	if len(froms) != 2 || !strings.Contains(froms[0], "golang:") || !strings.Contains(froms[1], "node:") {
		t.Errorf("want two stages, golang then node; FROM lines: %q", froms)
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "COPY --from=nrun /out/nrun /usr/local/bin/nrun"} {
		if !strings.Contains(all, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if last := code[len(code)-1]; last != `CMD ["nrun", "start"]` {
		t.Errorf("the last instruction is %q, want CMD [\"nrun\", \"start\"]", last)
	}
	for _, init := range []string{"tini", "dumb-init", "ENTRYPOINT"} {
		if strings.Contains(all, init) {
			t.Errorf("Dockerfile uses %s outside comments", init)
		}
	}
	// The image's app: its start script is what CMD runs.
	pkg, err := pkgjson.Load(filepath.Join(dir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if line, ok := pkg.Script("start"); !ok || line != "node server.js" {
		t.Errorf("examples/docker/package.json start = %q, want node server.js", line)
	}
	if _, err := os.Stat(filepath.Join(dir, "server.js")); err != nil {
		t.Error(err)
	}
}
