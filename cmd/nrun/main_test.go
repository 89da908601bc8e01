package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/nrunjs/nrun/internal/testfs"
)

// TestMain makes the test binary several programs: the tests, nrun and
// nrun-probe (testscript.Main copies the binary into a directory on PATH
// under each name and dispatches on os.Args[0]), and the oracle's
// recorders and stand-in runners (oracle_test.go), which an environment
// variable marks.
func TestMain(m *testing.M) {
	if code, ok := oraclePersonality(); ok {
		os.Exit(code)
	}
	testscript.Main(m, map[string]func(){
		"nrun":       func() { os.Exit(run(os.Args)) },
		"nrun-probe": func() { os.Exit(probeMain(os.Args[1:])) },
	})
}

// TestScript runs the end-to-end scripts in testdata/script; each runs in
// parallel in its own $WORK (testscript calls t.Parallel itself).
func TestScript(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:       filepath.Join("..", "..", "testdata", "script"),
		Cmds:      tsCmds(),
		Setup:     tsSetup,
		Condition: tsCondition,
		// nrun and nrun-probe run as programs, `exec nrun ...`, as a
		// user runs them: never in the test process.
		RequireExplicitExec: true,
	})
}

// tsSetup gives each script a clean environment. testscript starts
// from a minimal one (WORK, PATH, HOME=/no-home, TMPDIR=$WORK/.tmp,
// GOCOVERDIR, GORACE), so the npm filter below is a guard, not a cleanup.
func tsSetup(env *testscript.Env) error {
	home := filepath.Join(env.WorkDir, "home")
	if err := os.MkdirAll(home, 0o777); err != nil {
		return err
	}
	env.Vars = testfs.NpmFree(env.Vars)
	tsSetVar(env, "HOME", home)
	if runtime.GOOS == "windows" {
		tsSetVar(env, "USERPROFILE", home)
	}
	if dir, ok := tsSharedDir(); ok {
		tsSetVar(env, "SHARED", dir)
	}
	// A -race binary sleeps 1 s at exit unless told otherwise, and every
	// nrun and nrun-probe process is one.
	if v := env.Getenv("GORACE"); !strings.Contains(v, "atexit_sleep_ms") {
		tsSetVar(env, "GORACE", strings.TrimSpace(v+" atexit_sleep_ms=0"))
	}
	tsNewState(env)
	return nil
}

// tsSetVar sets name in env, replacing earlier entries (Env.Setenv appends).
func tsSetVar(env *testscript.Env, name, value string) {
	env.Vars = slices.DeleteFunc(env.Vars, func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		return strings.EqualFold(k, name) && (runtime.GOOS == "windows" || k == name)
	})
	env.Setenv(name, value)
}

// tsSharedDir is the shared fixtures directory next to the repository
// (../../../shared from this package), if there is one.
func tsSharedDir() (string, bool) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared"))
	if err != nil {
		return "", false
	}
	fi, err := os.Stat(dir)
	return dir, err == nil && fi.IsDir()
}

// tsCondition adds [npm], [node], [root], [unshare], [shared] and
// [exists:PATH] to testscript's own conditions.
func tsCondition(cond string) (bool, error) {
	switch {
	case cond == "npm" || cond == "node":
		_, err := exec.LookPath(cond)
		return err == nil, nil
	case cond == "root":
		return os.Geteuid() == 0, nil
	case cond == "unshare":
		return tsCanUnshare(), nil
	case cond == "shared":
		_, ok := tsSharedDir()
		return ok, nil
	case strings.HasPrefix(cond, "exists:"):
		_, err := os.Stat(strings.TrimPrefix(cond, "exists:"))
		return err == nil, nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// tsCanUnshare reports, once per test binary, whether a user+PID namespace
// with its own /proc can be made here (for the PID-1 tests).
var tsCanUnshare = sync.OnceValue(func() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return exec.CommandContext(ctx, "unshare", "--user", "--pid", "--fork", "--mount-proc", "true").Run() == nil
})
