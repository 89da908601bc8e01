//go:build unix

package runner

// Supervised runs on real processes (the helpers of main_unix_test.go):
// statuses, start failures, signal forwarding, cancellation and the
// teardown of the program's process group. None runs in parallel: Run
// reaps every child of the test process.

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/proctest"
	"github.com/nrunjs/nrun/shell"
	"golang.org/x/sys/unix"
)

// shStatus is the status /bin/sh reports for argv run in env: the
// reference for what Run must report.
func shStatus(t *testing.T, env Env, argv ...string) int {
	t.Helper()
	// Not `sh -c '"$@"'`: sh may exec a lone command and die of its signal.
	cmd := exec.Command("/bin/sh", append([]string{"-c", `"$@"; exit $?`, "sh"}, argv...)...)
	cmd.Env = env.List()
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return ee.ExitCode()
	}
	t.Fatalf("sh %q: %v", argv, err)
	return 0
}

// TestRunExitStatus: an exit code passes through Run as sh reports it, and
// a death by signal N is status 128+N with the signal named.
func TestRunExitStatus(t *testing.T) {
	for _, code := range []int{0, 1, 2, 7, 126, 127, 254, 255} {
		t.Run("exit"+strconv.Itoa(code), func(t *testing.T) {
			c := helperCmd(t, "exit", strconv.Itoa(code))
			env := helperEnv()
			env.SetPair(c.Env[0])
			want := ExitError{Code: shStatus(t, env, c.Argv...)}
			wantExit(t, Run(helperPlan(t, c), supervised()), want)
		})
	}
	for _, sig := range []syscall.Signal{unix.SIGHUP, unix.SIGINT, unix.SIGKILL, unix.SIGTERM} {
		t.Run(unix.SignalName(sig), func(t *testing.T) {
			c := helperCmd(t, "die", strconv.Itoa(int(sig)))
			env := helperEnv()
			env.SetPair(c.Env[0])
			want := ExitError{Code: shStatus(t, env, c.Argv...), Signal: sig}
			if want.Code != 128+int(sig) {
				t.Fatalf("sh reports status %d for a death by %v", want.Code, sig)
			}
			wantExit(t, Run(helperPlan(t, c), supervised()), want)
		})
	}
}

// TestRunCannotStart: a program that cannot start gets sh's status for it
// (127 not found, 126 found but not runnable), and an || list goes on.
func TestRunCannotStart(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string, mode os.FileMode) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
		return path
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o777); err != nil {
		t.Fatal(err)
	}
	env := helperEnv()
	env.Set("PATH", dir) // the bare name is looked for here only
	for _, tc := range []struct{ name, prog string }{
		{"not on PATH", "nrun-runner-test-no-such-program"},
		{"no such file", filepath.Join(dir, "missing")},
		{"not executable", write("plain", "exit 0\n", 0o644)},
		{"directory", sub},
		{"missing interpreter", write("interp", "#!/nonexistent/interpreter\n", 0o755)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := shStatus(t, env, tc.prog)
			if want != 126 && want != 127 {
				t.Fatalf("sh reports status %d for %s", want, tc.prog)
			}
			c := Cmd{Cmd: shell.Cmd{Kind: shell.Direct, Argv: []string{tc.prog}}}
			wantExit(t, Run(planIn(t, env, c), supervised()), ExitError{Code: want})
		})
	}
	t.Run("or else", func(t *testing.T) {
		missing := Cmd{Cmd: shell.Cmd{Kind: shell.Direct, Argv: []string{filepath.Join(dir, "missing")}}}
		orElse := helperCmd(t, "exit", "3")
		orElse.Op = shell.Or
		p := helperPlan(t)
		p.Scripts = []*Script{{Event: "test", Env: p.Env, Cmds: []Cmd{missing, orElse}}}
		wantExit(t, Run(p, supervised()), ExitError{Code: 3})
	})
}

// TestRunForwardsSignals: a signal the test process gets while Run
// supervises reaches every process of the program's group exactly once,
// and the test process survives it.
func TestRunForwardsSignals(t *testing.T) {
	dir := t.TempDir()
	ready, log, member := filepath.Join(dir, "ready"), filepath.Join(dir, "log"), filepath.Join(dir, "member")
	c := runAsync(helperPlan(t, helperCmd(t, "wait", "-ready", ready, "-log", log, "-member", member, "-member-ignore", "hup")), supervised())
	readPid(t, ready)
	readPid(t, member+".pid")
	if err := unix.Kill(os.Getpid(), unix.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	waitLog(t, log, "usr1")
	waitLog(t, member, "usr1")
	// A SIGHUP ends the program; its group's survivor is then torn down.
	if err := unix.Kill(os.Getpid(), unix.SIGHUP); err != nil {
		t.Fatal(err)
	}
	r := await(t, c, 2*proctest.Timeout)
	wantExit(t, r.err, ExitError{Code: 128 + int(unix.SIGHUP), Signal: unix.SIGHUP})
	waitLog(t, log, "usr1", "hup")
	waitLog(t, member, "usr1", "hup", "term")
}

// TestRunTearsDownGroup: what the program leaves running in its process
// group gets SIGTERM and is gone when Run returns; the program's status
// stands.
func TestRunTearsDownGroup(t *testing.T) {
	dir := t.TempDir()
	pidfile, log := filepath.Join(dir, "pid"), filepath.Join(dir, "log")
	c := runAsync(helperPlan(t, helperCmd(t, "leave", "-pidfile", pidfile, "-log", log, "-exit", "3")), supervised())
	left := readPid(t, pidfile)
	r := await(t, c, 2*proctest.Timeout)
	wantExit(t, r.err, ExitError{Code: 3})
	if proctest.Exists(left) {
		t.Errorf("pid %d, left in the group, still exists when Run returns", left)
	}
	waitLog(t, log, "term")
}

// TestRunCancel: closing Options.Cancel ends the program with SIGTERM,
// and with SIGKILL once Grace has passed if it outlives that.
func TestRunCancel(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ignore string
		grace  time.Duration
		want   syscall.Signal
	}{
		// Well beyond the wait for Run: only the SIGTERM can end it in time.
		{"term", "", 10 * time.Minute, unix.SIGTERM},
		{"kill", "term", 300 * time.Millisecond, unix.SIGKILL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ready, log := filepath.Join(dir, "ready"), filepath.Join(dir, "log")
			cancel := make(chan struct{})
			o := supervised()
			o.Cancel, o.Grace = cancel, tc.grace
			c := runAsync(helperPlan(t, helperCmd(t, "wait", "-ready", ready, "-log", log, "-ignore", tc.ignore)), o)
			readPid(t, ready)
			close(cancel)
			closed := time.Now()
			r := await(t, c, 2*proctest.Timeout)
			wantExit(t, r.err, ExitError{Code: 128 + int(tc.want), Signal: tc.want})
			if tc.want == unix.SIGKILL && time.Since(closed) < tc.grace {
				t.Errorf("SIGKILL after %v, before the grace period of %v", time.Since(closed), tc.grace)
			}
			waitLog(t, log, "term")
		})
	}
}

// TestRunCancelStartsNothingMore: once Cancel is closed no program
// starts, even after one that the SIGTERM ended with status 0.
func TestRunCancelStartsNothingMore(t *testing.T) {
	t.Run("during", func(t *testing.T) {
		dir := t.TempDir()
		ready, log, touched := filepath.Join(dir, "ready"), filepath.Join(dir, "log"), filepath.Join(dir, "touched")
		cancel := make(chan struct{})
		o := supervised()
		o.Cancel = cancel
		c := runAsync(helperPlan(t,
			helperCmd(t, "wait", "-ready", ready, "-log", log, "-exit-on", "term"),
			helperCmd(t, "touch", touched)), o)
		readPid(t, ready)
		close(cancel)
		await(t, c, 2*proctest.Timeout)
		waitLog(t, log, "term")
		if _, err := os.Stat(touched); err == nil {
			t.Error("the script after the canceled one ran")
		}
	})
}

// TestRunClosedStartsNothing: with Cancel closed or Halt stopped before
// Run, no program starts, and the run ends as the program would have died:
// of SIGTERM for a cancel, of the halting signal for a halt.
func TestRunClosedStartsNothing(t *testing.T) {
	closed := make(chan struct{})
	close(closed)
	halted := func(sig os.Signal) *Halt {
		h := NewHalt()
		h.Stop(sig)
		return h
	}
	for _, tc := range []struct {
		name string
		set  func(*Options)
		want syscall.Signal
	}{
		{"Cancel", func(o *Options) { o.Cancel = closed }, unix.SIGTERM},
		{"Halt by SIGHUP", func(o *Options) { o.Halt = halted(unix.SIGHUP) }, unix.SIGHUP},
		{"Halt by a bail", func(o *Options) { o.Halt = halted(nil) }, unix.SIGTERM},
	} {
		t.Run(tc.name, func(t *testing.T) {
			touched := filepath.Join(t.TempDir(), "touched")
			o := supervised()
			tc.set(&o)
			wantExit(t, Run(helperPlan(t, helperCmd(t, "touch", touched)), o), ExitError{Code: 128 + int(tc.want), Signal: tc.want})
			if _, err := os.Stat(touched); err == nil {
				t.Error("a program started")
			}
		})
	}
}

// TestRunHalt: a program that started just after the signal that halted
// the run, so never had it, gets that signal then; after a halt without a
// signal (a bail), SIGTERM. TestEndingHalt covers a program that had it.
func TestRunHalt(t *testing.T) {
	for _, tc := range []struct {
		name string
		sig  os.Signal
		want string
	}{
		{"by SIGHUP", unix.SIGHUP, "hup"},
		{"by a bail", nil, "term"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ready, log := filepath.Join(dir, "ready"), filepath.Join(dir, "log")
			halt := NewHalt()
			o := supervised()
			o.Halt = halt
			c := runAsync(helperPlan(t, helperCmd(t, "wait", "-ready", ready, "-log", log, "-exit-on", tc.want)), o)
			readPid(t, ready)
			halt.Stop(tc.sig)
			r := await(t, c, 2*proctest.Timeout)
			wantExit(t, r.err, ExitError{Code: 0})
			waitLog(t, log, tc.want)
		})
	}
}

// TestEndingHalt: what a halt sends, given what the program had. Signals
// still on their way are passed on first; a program that had a stop
// signal, or was already terminated, gets nothing more; any other gets
// the halting signal, or SIGTERM after a bail.
func TestEndingHalt(t *testing.T) {
	for _, tc := range []struct {
		name    string
		before  func(*ending)
		pending []os.Signal
		sig     os.Signal // what halted: nil for a bail or race
		want    []syscall.Signal
	}{
		{"nothing", nil, nil, unix.SIGINT, []syscall.Signal{unix.SIGINT}},
		{"nothing, halted by a bail", nil, nil, nil, []syscall.Signal{unix.SIGTERM}},
		{"the signal on its way", nil, []os.Signal{unix.SIGHUP}, unix.SIGHUP, []syscall.Signal{unix.SIGHUP}},
		{"another signal on its way", nil, []os.Signal{unix.SIGUSR1}, unix.SIGHUP, []syscall.Signal{unix.SIGUSR1, unix.SIGHUP}},
		{"had the signal", func(e *ending) { e.forward(unix.SIGINT) }, nil, unix.SIGINT, []syscall.Signal{unix.SIGINT}},
		{"had another signal", func(e *ending) { e.forward(unix.SIGUSR2) }, nil, unix.SIGINT, []syscall.Signal{unix.SIGUSR2, unix.SIGINT}},
		{"already terminated", func(e *ending) { e.terminate() }, nil, unix.SIGINT, []syscall.Signal{unix.SIGTERM}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sent []syscall.Signal
			e := &ending{send: func(s syscall.Signal) { sent = append(sent, s) }, grace: time.Hour}
			if tc.before != nil {
				tc.before(e)
			}
			pending := make(chan os.Signal, len(tc.pending))
			for _, s := range tc.pending {
				pending <- s
			}
			e.halt(pending, tc.sig)
			if !slices.Equal(sent, tc.want) {
				t.Errorf("sent %v, want %v", sent, tc.want)
			}
			if !e.stop {
				t.Error("a halted program's end is not a stop")
			}
		})
	}
}
