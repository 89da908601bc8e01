//go:build unix

package main

// The oracle: for a script line, what every program receives —
// argv, working directory, environment — and the stdout and exit status
// must be the same under nrun as under `/bin/sh -c LINE`. Both runs get a
// PATH on which every command name of the line is a recorder (this test
// binary under another name), and sh gets exactly the environment nrun
// gives the script. Runner names (npm, yarn, pnpm, bun, nrun) are nrun
// itself, so nested calls that nrun runs in place are compared with a real
// nested run.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nrunjs/nrun/internal/quote"
)

const oracleRecordEnv = "NRUN_ORACLE_RECORD"

// oracleTimeout ends a run that does not finish; both runs timing out
// counts as agreement.
const oracleTimeout = 10 * time.Second

// oraclePersonality runs the recorder or a stand-in runner when this
// process is one.
func oraclePersonality() (int, bool) {
	file := os.Getenv(oracleRecordEnv)
	if file == "" {
		return 0, false
	}
	switch name := filepath.Base(os.Args[0]); name {
	case "nrun", "nrun-probe":
		return 0, false
	case "npm", "yarn", "pnpm", "bun":
		return run(append([]string{"nrun"}, npmToNrun(name, os.Args[1:])...)), true
	}
	return oracleRecordCall(file), true
}

// npmToNrun rewrites the runner invocations nrun runs in place into nrun's
// own syntax (options first), so the stand-in does what the real runner
// does for them.
func npmToNrun(runner string, args []string) []string {
	if runner == "npm" && len(args) > 0 {
		// nrun reads npm's grammar after "run" as npm does.
		switch args[0] {
		case "start", "test", "stop", "restart":
			return append([]string{"run", args[0]}, args[1:]...)
		case "t", "tst":
			return append([]string{"run", "test"}, args[1:]...)
		}
		return args
	}
	var flags, rest []string
	for i, a := range args {
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if runner == "npm" && (a == "-s" || a == "--silent" || a == "--if-present") {
			flags = append(flags, a)
			continue
		}
		rest = append(rest, a)
	}
	if len(rest) > 0 && (rest[0] == "t" || rest[0] == "tst") && runner == "npm" {
		rest[0] = "test"
	}
	return append(flags, rest...)
}

// oracleRecord is what one recorder invocation saw.
type oracleRecord struct {
	Argv []string
	Dir  string
	Env  []string
}

// oracleRecordCall appends one JSON line describing this process to file,
// says on stdout that it ran, and fails when its name starts with "fail".
func oracleRecordCall(file string) int {
	dir, _ := os.Getwd()
	rec := oracleRecord{Argv: os.Args, Dir: dir, Env: oracleNormalEnv(os.Environ())}
	line, _ := json.Marshal(rec)
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return 99
	}
	defer f.Close()
	f.Write(append(line, '\n'))
	fmt.Printf("rec %q\n", os.Args)
	if strings.HasPrefix(filepath.Base(os.Args[0]), "fail") {
		return 1
	}
	return 0
}

// oracleNormalEnv sorts the environment and drops what legitimately
// differs: the record file, bash's _ and SHLVL, and PATH entries npm adds
// again in a nested run (nrun running a nested script in place does not).
func oracleNormalEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case oracleRecordEnv, "_", "SHLVL", "GORACE":
			continue
		case "PATH":
			var seen []string
			for _, d := range filepath.SplitList(v) {
				if !slices.Contains(seen, d) {
					seen = append(seen, d)
				}
			}
			kv = "PATH=" + strings.Join(seen, ":")
		}
		out = append(out, kv)
	}
	slices.Sort(out)
	return out
}

// oracle is one package directory and bin directory for comparing runs.
type oracle struct {
	t        testing.TB
	pkg, bin string
	self     string
	shEnv    []string          // what nrun gives script "x", as sh is to get it
	extra    map[string]string // more scripts beside "x"
}

var oracleRunners = []string{"npm", "yarn", "pnpm", "bun", "nrun", "nrun-probe"}

func newOracle(t testing.TB) *oracle {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("SKIP: the oracle compares with /bin/sh, which is absent")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	o := &oracle{t: t, pkg: filepath.Join(root, "pkg"), bin: filepath.Join(root, "bin"), self: self}
	for _, d := range []string{o.pkg, o.bin} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range oracleRunners {
		target, err := exec.LookPath(name)
		if name == "npm" || name == "yarn" || name == "pnpm" || name == "bun" {
			target, err = exec.LookPath("nrun")
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(o.bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	// node is on PATH from the start, so NODE is the same for every line.
	o.provide("node")
	o.shEnv = o.dumpEnv()
	return o
}

// baseEnv is the environment both runs start from.
func (o *oracle) baseEnv() []string {
	return []string{"PATH=" + o.bin, "HOME=/nonexistent", "LC_ALL=C", "GORACE=atexit_sleep_ms=0"}
}

// dumpEnv asks nrun for the environment of script "x".
func (o *oracle) dumpEnv() []string {
	o.writeScript("nrun-probe env -all")
	cmd := exec.Command(filepath.Join(o.bin, "nrun"), "x")
	cmd.Dir, cmd.Env = o.pkg, o.baseEnv()
	out, err := cmd.Output()
	if err != nil {
		o.t.Fatalf("env dump: %v", err)
	}
	return parseProbeEnv(o.t, out)
}

func (o *oracle) writeScript(line string) {
	scripts := map[string]string{"x": line}
	for k, v := range o.extra {
		scripts[k] = v
		o.provide(v)
	}
	data, _ := json.Marshal(map[string]any{"name": "oracle", "version": "1.0.0", "scripts": scripts})
	if err := os.WriteFile(filepath.Join(o.pkg, "package.json"), data, 0o644); err != nil {
		o.t.Fatal(err)
	}
}

var oracleWord = regexp.MustCompile(`[A-Za-z0-9_.@+:/-]+`)

// provide makes recorders of every word of the line that could name a
// program, and directories for every word after cd.
func (o *oracle) provide(line string) {
	words := oracleWord.FindAllString(line, -1)
	for i, w := range words {
		if i > 0 && words[i-1] == "cd" && filepath.IsLocal(w) {
			os.MkdirAll(filepath.Join(o.pkg, w), 0o755)
			continue
		}
		if slices.Contains(oracleRunners, w) || w == "." || w == ".." || strings.HasSuffix(w, "/") {
			continue
		}
		dst := filepath.Join(o.bin, w)
		if strings.Contains(w, "/") {
			if !filepath.IsLocal(w) || filepath.Base(w) == "." || filepath.Base(w) == ".." {
				continue
			}
			dst = filepath.Join(o.pkg, w)
			os.MkdirAll(filepath.Dir(dst), 0o755)
		}
		if _, err := os.Lstat(dst); err == nil {
			continue
		}
		os.Symlink(o.self, dst)
	}
}

// outcome is what one run produced.
type outcome struct {
	records []oracleRecord
	stdout  string
	code    int
}

func (o *oracle) result(cmd *exec.Cmd, recFile string) outcome {
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	// Its own group, so that a line that signals "its" group (kill 0)
	// reaches only itself, and so that a line that never ends (a loop the
	// fuzzer wrote) can be ended whole.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		o.t.Fatal(err)
	}
	timer := time.AfterFunc(oracleTimeout, func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	err := cmd.Wait()
	if !timer.Stop() {
		return outcome{code: -2, stdout: "(timed out)"}
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		// A death by signal N counts as 128+N: nrun re-raises most signals
		// but reports core-dumping ones as 128+N.
		code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code = 128 + int(ws.Signal())
		}
	} else if err != nil {
		code = -1
	}
	var recs []oracleRecord
	data, _ := os.ReadFile(recFile)
	for _, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var r oracleRecord
		if json.Unmarshal(l, &r) == nil {
			recs = append(recs, r)
		}
	}
	os.Remove(recFile)
	// The programs of a pipeline run at once and record in any order; the
	// order of a list shows in stdout, which is compared as it is.
	slices.SortStableFunc(recs, func(a, b oracleRecord) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return outcome{records: recs, stdout: stdout.String(), code: code}
}

// check runs line with args under nrun and under sh and compares.
func (o *oracle) check(line string, args []string) {
	o.t.Helper()
	o.provide(line)
	o.writeScript(line)
	recFile := filepath.Join(o.pkg, "..", "records.jsonl")

	nrun := exec.Command(filepath.Join(o.bin, "nrun"), append([]string{"x"}, args...)...)
	nrun.Dir, nrun.Env = o.pkg, append(o.baseEnv(), oracleRecordEnv+"="+recFile)
	got := o.result(nrun, recFile)

	env := slices.Clone(o.shEnv)
	for i, kv := range env {
		if strings.HasPrefix(kv, "npm_lifecycle_script=") {
			env[i] = "npm_lifecycle_script=" + line
		}
	}
	sh := exec.Command("/bin/sh", "-c", quote.AppendSh(line, args))
	sh.Args[0] = "sh" // npm starts "sh", so a line's $0 is "sh"
	sh.Dir, sh.Env = o.pkg, append(env, oracleRecordEnv+"="+recFile)
	want := o.result(sh, recFile)

	if oracleConcurrent.MatchString(line) {
		// Programs in the background or in a pipeline print in any order.
		got.stdout, want.stdout = sortLines(got.stdout), sortLines(want.stdout)
	}
	if diff := outcomeDiff(got, want); diff != "" {
		o.t.Errorf("line %q args %q: nrun and sh differ: %s", line, args, diff)
	}
}

// oracleConcurrent matches lines with a background job or a pipeline.
var oracleConcurrent = regexp.MustCompile(`(^|[^&|])[&|]([^&|]|$)`)

func sortLines(s string) string {
	lines := strings.Split(s, "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// outcomeDiff names the first difference between two outcomes.
func outcomeDiff(got, want outcome) string {
	if got.code != want.code {
		return fmt.Sprintf("exit status %d, sh %d", got.code, want.code)
	}
	if got.stdout != want.stdout {
		return fmt.Sprintf("stdout\n%s\nsh stdout\n%s", got.stdout, want.stdout)
	}
	if len(got.records) != len(want.records) {
		return fmt.Sprintf("%d programs ran, sh ran %d", len(got.records), len(want.records))
	}
	for i, g := range got.records {
		w := want.records[i]
		switch {
		case !slices.Equal(g.Argv, w.Argv):
			return fmt.Sprintf("program %d: argv %q, sh %q", i, g.Argv, w.Argv)
		case g.Dir != w.Dir:
			return fmt.Sprintf("program %d: dir %q, sh %q", i, g.Dir, w.Dir)
		case !slices.Equal(g.Env, w.Env):
			var only, shOnly []string
			for _, kv := range g.Env {
				if !slices.Contains(w.Env, kv) {
					only = append(only, kv)
				}
			}
			for _, kv := range w.Env {
				if !slices.Contains(g.Env, kv) {
					shOnly = append(shOnly, kv)
				}
			}
			return fmt.Sprintf("program %d %q: env only under nrun %q, only under sh %q", i, g.Argv, only, shOnly)
		}
	}
	return ""
}

// oracleLines are hand-written lines: real kinds and adversarial ones.
var oracleLines = []string{
	"node server.js", "NODE_ENV=production node --max-old-space-size=4096 server.js --port 3000",
	"prisma migrate deploy && node dist/main.js", "cd packages/api && node index.js",
	"npm run build && node server.js", "tsc -p . && npm run copy -- --flat && node dist",
	"fail1 && a || b; c", "fail1 || fail2 || c && d", "a && fail1 && b || c",
	`A=1 B="two words" C='x y' tool -a "b c" 'd'"e"f\ g`, `x "a\"b" "c\d" 'e\f' g\ h "\\" "\$"`,
	`x a#b d~ e:~ --x=~/y`, `"if" x`, `x ''`, "x 'new\nline' \"a\nb\"", "x a\rb", `"FOO"=1 x`,
	`./node_modules/.bin/tsc -p .`, `FOO= x`, `A=1 A=2 x`, `x !a ! %PATH% ^`, `x "ü" 'ā' ā…`,
	`HOME=/h x`, `x \' \"`, `x -- --y`, "a#b", "FOO=bar", "exec node x.js", "exec node x.js; never",
	"!", "{a,b}", "x {a,b}", "cat <<EOF\nhi\nEOF", "x 2>&1", "x &", "x $@", "x $0", "x $1",
	"export A=1 B=2 && node $A$B", "A=1; x $A", "true && x", ": ; x", "false || x", "x; exit 3",
	"x || exit", "fail1; exit", "cd sub && x $PWD", "cd sub; cd ..; x", "cd nowhere || x",
	"x $HOME ${HOME} \"$npm_package_name\" $npm_lifecycle_event", "x $NOPE y", "$NOPE x",
	"x | y", "x && y | z", "x; y &", "(x)", "x && (y)", "x && echo done", "echo $npm_package_version",
	"yarn build", "pnpm run build -- --x", "npm test", "npm run nope --if-present && x",
	"$npm_execpath run build", "nrun build -- a 'b c'", "npm run -s build", "npm t",
	"x \"$npm_lifecycle_script\"", "exit 0", "fail1", "+x", "-x", "false; exit", "cd nowhere; exit",
	"true && false || exit", "x; false; exit",
}

// oracleArgs are extra arguments tried with each line.
var oracleArgs = []string{"a b", "", "$HOME", "`id`", "it's", "*.json", `\`, "new\nline", "--flag", "ü"}

func TestOracleLines(t *testing.T) {
	o := newOracle(t)
	o.addBuild()
	for _, line := range oracleLines {
		o.check(line, nil)
		o.check(line, oracleArgs)
	}
}

// addBuild makes the nested calls of oracleLines name real scripts; check
// rewrites package.json with them kept.
func (o *oracle) addBuild() {
	o.extra = map[string]string{"build": "tsc -p . && fail1 || y", "copy": "cpx", "test": "jest --ci", "prebuild": "lint"}
}

// TestOracleCorpus compares every script line of the real projects in
// ../shared/corpus/realworld, with and without extra arguments.
func TestOracleCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "realworld", "*package.json"))
	if len(files) == 0 {
		t.Skip("SKIP: corpus ../shared/corpus/realworld not found beside the repository")
	}
	var lines []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var pkg struct{ Scripts map[string]any }
		if err := json.Unmarshal(data, &pkg); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, v := range pkg.Scripts {
			if s, ok := v.(string); ok {
				lines = append(lines, s)
			}
		}
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	// A line that reads its shell's parent PID sees nrun where sh's parent
	// is the test: that difference is the point of nrun, not a bug.
	lines = slices.DeleteFunc(lines, func(l string) bool { return strings.Contains(l, "$PPID") })
	t.Logf("%d distinct corpus lines", len(lines))
	const shards = 4
	for shard := range shards {
		t.Run(fmt.Sprint("shard", shard), func(t *testing.T) {
			t.Parallel()
			o := newOracle(t)
			for i := shard; i < len(lines); i += shards {
				o.check(lines[i], nil)
				if i%7 == 0 {
					o.check(lines[i], oracleArgs[:4])
				}
			}
		})
	}
}

// FuzzOracle holds nrun to sh on arbitrary lines.
func FuzzOracle(f *testing.F) {
	for _, l := range oracleLines {
		f.Add(l, "x")
	}
	f.Fuzz(func(t *testing.T, line, arg string) {
		// No argv can hold a NUL. Redirections and kill are left out because
		// the shell would carry them out for real on this machine.
		if strings.ContainsAny(line+arg, "\x00<>") || strings.Contains(line, "kill") || strings.Contains(line, "nrun-probe") {
			return
		}
		// $$, $PPID and $! name processes: the shell nrun starts and the
		// oracle's own are two, so their numbers differ by nature.
		if strings.Contains(line, "$$") || strings.Contains(line, "${$") || strings.Contains(line, "PPID") || strings.Contains(line, "$!") || strings.Contains(line, "${!") {
			return
		}
		if !utf8.ValidString(line) {
			return // package.json is JSON: such a line cannot be written in it
		}
		o := newOracle(t)
		o.check(line, []string{arg})
	})
}
