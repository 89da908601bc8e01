package shell

// The oracle: for a line the planner runs directly, every program must get
// the argv and environment that `/bin/sh -c LINE` gives it. Both runs use a
// PATH whose every command is a recorder (this test binary under another
// name), and the records are compared.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const recordEnv = "NRUN_SHELL_TEST_RECORD"

// record is what one recorder invocation saw.
type record struct {
	Argv []string
	Env  []string
	Dir  string
}

func TestMain(m *testing.M) {
	if f := os.Getenv(recordEnv); f != "" {
		os.Exit(recordCall(f))
	}
	os.Exit(m.Run())
}

// recordCall appends one JSON line describing this process to file f.
func recordCall(f string) int {
	dir, _ := os.Getwd()
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, recordEnv+"=")
	})
	slices.Sort(env)
	line, _ := json.Marshal(record{Argv: os.Args, Env: env, Dir: dir})
	out, err := os.OpenFile(f, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return 99
	}
	defer out.Close()
	out.Write(append(line, '\n'))
	return 0
}

// oracle is a scratch directory with a bin dir of recorders.
type oracle struct {
	t    testing.TB
	dir  string // working directory of both runs
	bin  string // the only PATH entry
	self string
}

func newOracle(t testing.TB) *oracle {
	if runtime.GOOS == "windows" {
		t.Skip("the oracle compares with /bin/sh")
	}
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	o := &oracle{t: t, dir: filepath.Join(root, "work"), bin: filepath.Join(root, "bin"), self: self}
	for _, d := range []string{o.dir, o.bin} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

// provide makes every name a recorder, either on PATH or, for names with a
// slash, at that path below the working directory.
func (o *oracle) provide(name string) bool {
	dst := filepath.Join(o.bin, name)
	if strings.Contains(name, "/") {
		base := filepath.Base(name)
		if filepath.IsAbs(name) || !filepath.IsLocal(name) || strings.HasSuffix(name, "/") || base == "." || base == ".." {
			return false
		}
		dst = filepath.Join(o.dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return false
		}
	}
	if fi, err := os.Lstat(dst); err == nil {
		return fi.Mode()&os.ModeSymlink != 0 // ours, not "." or ".."
	}
	return os.Symlink(o.self, dst) == nil
}

// env is the whole environment of both runs. GORACE keeps a -race
// recorder from sleeping a second at exit.
func (o *oracle) env(recordFile string) []string {
	return []string{"PATH=" + o.bin, "HOME=/nonexistent", "LC_ALL=C",
		"GORACE=atexit_sleep_ms=0", recordEnv + "=" + recordFile}
}

// viaShell runs the line as npm would and returns the records.
func (o *oracle) viaShell(line string) ([]record, error) {
	f := filepath.Join(o.t.TempDir(), "sh.jsonl")
	cmd := exec.Command("/bin/sh", "-c", line)
	cmd.Dir, cmd.Env = o.dir, o.env(f)
	err := cmd.Run()
	return readRecords(f), err
}

// viaPlan runs a direct step the way nrun does: PWD names the working
// directory (sh exports it), the assignments override the environment and
// argv[0] is resolved on PATH.
func (o *oracle) viaPlan(step Step) ([]record, error) {
	f := filepath.Join(o.t.TempDir(), "plan.jsonl")
	prog := step.Argv[0]
	if !strings.Contains(prog, "/") {
		prog = filepath.Join(o.bin, prog)
	}
	cmd := exec.Command(prog)
	cmd.Args = step.Argv
	cmd.Dir = o.dir
	cmd.Env = append(o.env(f), "PWD="+o.dir)
	cmd.Env = append(cmd.Env, step.Env...) // os/exec keeps the last duplicate
	err := cmd.Run()
	return readRecords(f), err
}

func readRecords(f string) []record {
	data, err := os.ReadFile(f)
	if err != nil {
		return nil
	}
	var recs []record
	for _, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var r record
		if json.Unmarshal(l, &r) == nil {
			recs = append(recs, r)
		}
	}
	return recs
}

// check runs a direct plan of line against sh; it reports whether the line
// was direct at all.
func (o *oracle) check(line string, args []string) bool {
	o.t.Helper()
	step := Plan(line, args)
	if step.Kind != Direct {
		return false
	}
	if !o.provide(step.Argv[0]) {
		return true
	}
	shLine := AppendArgs(line, args)
	want, shErr := o.viaShell(shLine)
	got, planErr := o.viaPlan(step)
	if fmt.Sprint(want) != fmt.Sprint(got) || exitCode(shErr) != exitCode(planErr) {
		o.t.Errorf("line %q args %q:\n sh   (%v) %+v\n plan (%v) %+v", line, args, shErr, want, planErr, got)
	}
	return true
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
