//go:build unix

package runner

// The supervisor is tested on real processes: the programs Run starts are
// this test binary, which acts as a helper instead of running tests when
// NRUN_RUNNER_HELPER names one (as os/exec tests itself):
//
//	exit N                      exit with status N
//	die SIG                     die of signal SIG (a number)
//	touch F                     create F and exit 0
//	wait -ready F -log L [-ignore SIGS] [-exit-on SIGS] [-member L2 [-member-ignore SIGS]] [-threads N]
//	                            log each of hup, int, term, usr1, usr2 it gets
//	                            to L, one name a line; then die of hup, int and
//	                            term, unless ignored or exited on (status 0).
//	                            F holds its pid once it listens. -member first
//	                            starts a wait in its process group that logs
//	                            to L2 (its pid in L2.pid), ignoring SIGS.
//	                            -threads: N more threads, each blocked
//	leave -pidfile P -log L [-setsid] [-ignore SIGS] [-exit N] [-threads N]
//	                            start a wait (in a new session with -setsid),
//	                            copy its pid to P once it listens, exit N
//
// and, on Linux, those of main_linux_test.go. SIGS is a comma-separated
// list of names. Pids are as /proc shows them, so that a helper in a PID
// namespace names itself as the tests see it.
//
// Each helper exits 99 after a minute at the latest, so a failed test leaks
// nothing for long.

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/proctest"
	"github.com/nrunjs/nrun/shell"
	"golang.org/x/sys/unix"
)

const helperVar = "NRUN_RUNNER_HELPER"

func TestMain(m *testing.M) {
	// A PIDNamespace run starts this binary as the namespace's init; it
	// starts the helper in turn, which is why this comes first.
	if code, ok := NSInit(os.Args[1:]); ok {
		os.Exit(code)
	}
	if name := os.Getenv(helperVar); name != "" {
		os.Exit(helperMain(name, os.Args[1:]))
	}
	os.Exit(m.Run())
}

var helpers = map[string]func(args []string) error{
	"exit":  helperExit,
	"die":   helperDie,
	"touch": func(args []string) error { return os.WriteFile(args[0], nil, 0o666) },
	"wait":  helperWait,
	"leave": helperLeave,
}

func helperMain(name string, args []string) int {
	time.AfterFunc(time.Minute, func() { os.Exit(99) })
	h := helpers[name]
	if h == nil {
		fmt.Fprintf(os.Stderr, "helper: no helper %q\n", name)
		return 2
	}
	if err := h(args); err != nil {
		fmt.Fprintf(os.Stderr, "helper %s: %v\n", name, err)
		return 99
	}
	return 0
}

func helperExit(args []string) error {
	n, err := strconv.Atoi(args[0])
	if err != nil {
		return err
	}
	os.Exit(n)
	return nil
}

func helperDie(args []string) error {
	n, err := strconv.Atoi(args[0])
	if err != nil {
		return err
	}
	return dieOf(syscall.Signal(n))
}

// dieOf kills the process with sig. The Go runtime dies of HUP, INT, TERM
// and KILL as a program without handlers does once nothing is notified of
// them; other signals it would swallow.
func dieOf(sig syscall.Signal) error {
	signal.Reset(sig)
	if err := unix.Kill(os.Getpid(), sig); err != nil {
		return err
	}
	time.Sleep(proctest.Timeout) // bounded: death is asynchronous
	return fmt.Errorf("still alive after %v", sig)
}

// waitSignals are the signals wait logs, by the names it logs.
var waitSignals = map[os.Signal]string{
	unix.SIGHUP: "hup", unix.SIGINT: "int", unix.SIGTERM: "term", unix.SIGUSR1: "usr1", unix.SIGUSR2: "usr2",
}

func helperWait(args []string) error {
	fs := flag.NewFlagSet("wait", flag.ContinueOnError)
	ready := fs.String("ready", "", "")
	log := fs.String("log", "", "")
	ignore := fs.String("ignore", "", "")
	exitOn := fs.String("exit-on", "", "")
	member := fs.String("member", "", "")
	memberIgnore := fs.String("member-ignore", "", "")
	threads := fs.Int("threads", 0, "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for range *threads {
		go func() {
			runtime.LockOSThread()
			select {}
		}()
	}
	if *member != "" {
		p, err := startHelper("wait", []string{"-ready", *member + ".pid", "-log", *member, "-ignore", *memberIgnore}, nil)
		if err != nil {
			return err
		}
		if !proctest.Poll(func() bool { return proctest.HasData(*member + ".pid") }) {
			return errors.New("member not ready")
		}
		_ = p.Release()
	}
	c := make(chan os.Signal, 16)
	for s := range waitSignals {
		signal.Notify(c, s)
	}
	if err := proctest.WriteAtomic(*ready, strconv.Itoa(procPid())); err != nil {
		return err
	}
	for s := range c {
		name := waitSignals[s]
		if err := proctest.AppendLine(*log, name); err != nil {
			return err
		}
		switch {
		case slices.Contains(strings.Split(*exitOn, ","), name):
			return nil
		case slices.Contains(strings.Split(*ignore, ","), name):
		case s == unix.SIGHUP, s == unix.SIGINT, s == unix.SIGTERM:
			return dieOf(s.(syscall.Signal))
		}
	}
	return nil
}

// procPid is this process's pid in /proc's PID namespace, which is the
// tests' one when this helper runs in a namespace of its own.
func procPid() int {
	if self, err := os.Readlink("/proc/self"); err == nil {
		if pid, err := strconv.Atoi(self); err == nil {
			return pid
		}
	}
	return os.Getpid()
}

func helperLeave(args []string) error {
	fs := flag.NewFlagSet("leave", flag.ContinueOnError)
	pidfile := fs.String("pidfile", "", "")
	log := fs.String("log", "", "")
	setsid := fs.Bool("setsid", false, "")
	ignore := fs.String("ignore", "", "")
	code := fs.Int("exit", 0, "")
	threads := fs.String("threads", "0", "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ready := *pidfile + ".ready"
	p, err := startHelper("wait", []string{"-ready", ready, "-log", *log, "-ignore", *ignore, "-threads", *threads}, &syscall.SysProcAttr{Setsid: *setsid})
	if err != nil {
		return err
	}
	if !proctest.Poll(func() bool { return proctest.HasData(ready) }) {
		return errors.New("child not ready")
	}
	_ = p.Release()
	pid, err := os.ReadFile(ready)
	if err != nil {
		return err
	}
	if err := proctest.WriteAtomic(*pidfile, string(pid)); err != nil {
		return err
	}
	os.Exit(*code)
	return nil
}

// startHelper starts this binary as helper name, with the null device as
// its standard files: a leftover must not hold the test's output open.
func startHelper(name string, args []string, attr *syscall.SysProcAttr) (*os.Process, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	defer null.Close()
	env := append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, helperVar+"=")
	}), helperVar+"="+name)
	return os.StartProcess(self, append([]string{self}, args...), &os.ProcAttr{
		Env: env, Files: []*os.File{null, null, null}, Sys: attr,
	})
}

// helperCmd is a command of a plan that runs helper name with args.
func helperCmd(t *testing.T, name string, args ...string) Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Cmd{Cmd: shell.Cmd{Kind: shell.Direct, Env: []string{helperVar + "=" + name}, Argv: append([]string{self}, args...)}}
}

// helperEnv is the environment of the helpers. The race detector's pause
// at exit is turned off: every helper would wait a second for it.
func helperEnv() Env {
	env := NewEnv(os.Environ())
	env.Set("GORACE", "atexit_sleep_ms=0")
	return env
}

// helperPlan is a plan of one script per command.
func helperPlan(t *testing.T, cmds ...Cmd) Plan { return planIn(t, helperEnv(), cmds...) }

// planIn is a plan of one script per command in env, run in a directory
// of the test's own.
func planIn(t *testing.T, env Env, cmds ...Cmd) Plan {
	p := Plan{Dir: t.TempDir(), Env: env}
	for _, c := range cmds {
		p.Scripts = append(p.Scripts, &Script{Event: "test", Line: strings.Join(c.Argv, " "), Env: env, Cmds: []Cmd{c}})
	}
	return p
}

// supervised are the options of every test: nrun stays the parent. The
// terminal, if the tests have one, stays with the test process.
func supervised() Options {
	return Options{Supervise: true, Background: true, Grace: 10 * time.Second}
}

// result is what Run returned, and after how long.
type result struct {
	err     error
	elapsed time.Duration
}

// runAsync runs the plan while the test goes on.
func runAsync(p Plan, o Options) <-chan result {
	c := make(chan result, 1)
	go func() {
		start := time.Now()
		err := Run(p, o)
		c <- result{err, time.Since(start)}
	}()
	return c
}

// await waits for Run to return, at most limit.
func await(t *testing.T, c <-chan result, limit time.Duration) result {
	t.Helper()
	select {
	case r := <-c:
		return r
	case <-time.After(limit):
		t.Fatalf("Run has not returned after %v", limit)
		return result{}
	}
}

// readPid waits until file holds a pid, and kills that process when the
// test ends if it is still one of this binary's.
func readPid(t *testing.T, file string) int {
	t.Helper()
	return readPids(t, file)[0]
}

// readPids waits until file holds pids, one a line, and kills them when
// the test ends.
func readPids(t *testing.T, file string) []int {
	t.Helper()
	pids := readNumbers(t, file)
	t.Cleanup(func() {
		for _, pid := range pids {
			proctest.KillOwn(pid)
		}
	})
	return pids
}

// readNumbers waits until file holds numbers, one a line.
func readNumbers(t *testing.T, file string) []int {
	t.Helper()
	if !proctest.Poll(func() bool { return proctest.HasData(file) }) {
		t.Fatalf("%s: nothing after %v", file, proctest.Timeout)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var ns []int
	for _, f := range strings.Fields(string(data)) {
		n, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		ns = append(ns, n)
	}
	return ns
}

// wantExit checks Run's error: nil for status 0, else an *ExitError.
func wantExit(t *testing.T, err error, want ExitError) {
	t.Helper()
	var ee *ExitError
	switch {
	case want.Code == 0 && err == nil:
	case want.Code == 0:
		t.Errorf("Run: %v, want success", err)
	case !errors.As(err, &ee):
		t.Errorf("Run: %v, want %v", err, &want)
	case *ee != want:
		t.Errorf("Run: %#v, want %#v", *ee, want)
	}
}

// readLog is the lines of a wait helper's log.
func readLog(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return strings.Fields(string(data))
}

// waitLog waits until the log holds want, and fails if it holds more.
func waitLog(t *testing.T, file string, want ...string) {
	t.Helper()
	proctest.Poll(func() bool { return len(readLog(t, file)) >= len(want) })
	if got := readLog(t, file); !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q", filepath.Base(file), got, want)
	}
}
