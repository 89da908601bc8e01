package runner

// The Windows tests run for real: on Windows, and on Linux under Wine
// (scripts/wine-test.sh). The end-to-end ones start a Windows build of
// nrun, named by NRUN_WINTEST_NRUN, on packages whose scripts call "app":
// a copy of this test binary that, by its name, acts as the program under
// nrun (appMain) instead of running tests.
//
// Wine 8 cannot remove files the way Go's os.RemoveAll does, so nothing
// here relies on t.TempDir: every test works in a directory under one
// root made by TestMain, which is removed at the end where that works.

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/nrunjs/nrun/internal/proctest"
)

// testRoot holds every test's files.
var testRoot string

// winTimeout is how long these tests poll, above proctest.Timeout: under
// Wine on a busy machine, starting a process can take seconds.
const winTimeout = 15 * time.Second

func TestMain(m *testing.M) {
	if self, err := os.Executable(); err == nil {
		switch name := strings.ToLower(strings.TrimSuffix(filepath.Base(self), filepath.Ext(self))); {
		case name == "app", strings.HasPrefix(name, "app-"):
			os.Exit(appMain(os.Args[1:]))
		case name == "injob":
			os.Exit(injobMain(os.Args[1:]))
		}
	}
	var err error
	if testRoot, err = os.MkdirTemp("", "nrun-wintest"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := m.Run()
	_ = os.RemoveAll(testRoot) // fails under Wine 8; the OS's temp cleaning takes it then
	os.Exit(code)
}

// appReport is what `app report` prints: how the program was started.
type appReport struct {
	Opts     []string          // --T_* options before the script (a #! line's)
	Script   string            // the script a cmd-shim named before the arguments
	Args     []string          // the arguments after "report"
	Parent   string            // the image name of the parent process
	Env      map[string]string // FOO, BAR and every T_* variable
	PathKeys []string          // every spelling of PATH in the environment
	Self     string            // the program's own path
}

// appMain is the program the end-to-end scripts run:
//
//	app [SCRIPT.js] report ARG...       print an appReport as JSON
//	app exit N                          exit with the 32-bit code N
//	app touch NAME                      create NAME (an argument that ran as code)
//	app tree PIDFILE [breakaway]        start a child that starts a detached
//	                                    grandchild; with breakaway also a daemon
//	                                    started with CREATE_BREAKAWAY_FROM_JOB
//	app ctrlc READY LOG CODE            on Ctrl-C: log "got", work 500 ms, log
//	                                    "done", exit CODE
//	app sleep [MARK]                    wait (until the self-timeout)
//
// Every app exits 99 after 60 s, so a failed test leaks nothing for long.
func appMain(args []string) int {
	time.AfterFunc(60*time.Second, func() { os.Exit(99) })
	var script string
	var opts []string
	for len(args) > 0 && strings.HasPrefix(args[0], "--T_") {
		opts, args = append(opts, args[0]), args[1:]
	}
	if len(args) > 0 && strings.HasSuffix(args[0], ".js") {
		script, args = args[0], args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "app: no command")
		return 2
	}
	self, _ := os.Executable()
	switch args[0] {
	case "report":
		r := appReport{Opts: opts, Script: script, Args: args[1:], Parent: parentImage(), Env: map[string]string{}, Self: self}
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			switch {
			case strings.EqualFold(k, "PATH"):
				r.PathKeys = append(r.PathKeys, k)
			case k == "FOO", k == "BAR", strings.HasPrefix(k, "T_"):
				r.Env[k] = v
			}
		}
		if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
			return 1
		}
	case "exit":
		n, err := strconv.ParseUint(args[1], 10, 32)
		if err != nil {
			return 2
		}
		os.Exit(int(n))
	case "touch":
		if err := os.WriteFile(args[1], nil, 0o666); err != nil {
			return 1
		}
	case "tree":
		pidfile := args[1]
		appendPid(pidfile, "app", os.Getpid())
		child := exec.Command(self, "child", pidfile)
		if err := child.Start(); err != nil {
			return 1
		}
		if len(args) > 2 && args[2] == "breakaway" {
			d := exec.Command(self, "sleep", pidfile)
			d.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_BREAKAWAY_FROM_JOB | windows.DETACHED_PROCESS | windows.CREATE_NEW_PROCESS_GROUP}
			if err := d.Start(); err != nil {
				appendPid(pidfile, "daemon-refused", 0)
			} else {
				appendPid(pidfile, "daemon", d.Process.Pid)
			}
		}
		select {}
	case "crashtree":
		// One run of a restart loop: it notes what is left of the runs
		// before (nothing may be), leaves a child and its detached
		// grandchild running, and fails, or with "stay" runs on.
		pidfile := args[1]
		b, _ := os.ReadFile(pidfile)
		for _, l := range strings.Split(string(b), "\n") {
			if _, pid, ok := strings.Cut(strings.TrimSpace(l), " "); ok {
				if n, _ := strconv.Atoi(pid); running(n) {
					appendLine(pidfile+".left", l)
				}
			}
		}
		children := func() int {
			b, _ := os.ReadFile(pidfile)
			return strings.Count("\n"+string(b), "\nchild ")
		}
		before := children()
		if err := exec.Command(self, "child", pidfile).Start(); err != nil {
			return 2
		}
		proctest.PollFor(winTimeout, func() bool { return children() != before })
		if len(args) > 2 && args[2] == "stay" {
			select {}
		}
		return 1
	case "child":
		g := exec.Command(self, "sleep", args[1])
		g.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.DETACHED_PROCESS | windows.CREATE_NEW_PROCESS_GROUP}
		if err := g.Start(); err != nil {
			return 1
		}
		appendPid(args[1], "grandchild", g.Process.Pid)
		appendPid(args[1], "child", os.Getpid())
		select {}
	case "sleep":
		select {}
	case "ctrlc":
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt)
		if err := os.WriteFile(args[1], nil, 0o666); err != nil {
			return 1
		}
		<-c
		appendLine(args[2], "got")
		time.Sleep(500 * time.Millisecond)
		appendLine(args[2], "done")
		n, _ := strconv.Atoi(args[3])
		return n
	default:
		fmt.Fprintln(os.Stderr, "app: unknown command", args[0])
		return 2
	}
	return 0
}

// injobMain is a launcher inside a Job Object of its own, for nested
// jobs: `injob PIDFILE NRUN ARG...` puts itself in a job (one without
// kill-on-close, as a CI runner's may be), starts nrun, writes nrun's pid
// and waits for it.
func injobMain(args []string) int {
	time.AfterFunc(60*time.Second, func() { os.Exit(99) })
	h, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return 3
	}
	if err := windows.AssignProcessToJobObject(h, windows.CurrentProcess()); err != nil {
		return 4
	}
	cmd := exec.Command(args[1], args[2:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return 5
	}
	appendPid(args[0], "nrun", cmd.Process.Pid)
	_ = cmd.Wait()
	return 0
}

func appendLine(file, line string) {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o666)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = io.WriteString(f, line+"\n")
}

func appendPid(file, role string, pid int) { appendLine(file, role+" "+strconv.Itoa(pid)) }

// readPids waits until file names every role, and returns role → pid.
func readPids(t *testing.T, file string, roles ...string) map[string]int {
	t.Helper()
	var pids map[string]int
	named := func() bool {
		pids = map[string]int{}
		b, _ := os.ReadFile(file)
		for _, l := range strings.Split(string(b), "\n") {
			if role, pid, ok := strings.Cut(strings.TrimSpace(l), " "); ok {
				pids[role], _ = strconv.Atoi(pid)
			}
		}
		for _, r := range roles {
			if _, ok := pids[r]; !ok {
				return false
			}
		}
		return true
	}
	if !proctest.PollFor(winTimeout, named) {
		t.Fatalf("%s names %v; want %v", file, pids, roles)
	}
	return pids
}

// parentImage returns the executable name of this process's parent.
func parentImage() string {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return "?" + err.Error()
	}
	defer windows.CloseHandle(snap)
	names := map[uint32]string{}
	parents := map[uint32]uint32{}
	var e windows.ProcessEntry32
	e.Size = uint32(unsafe.Sizeof(e))
	for err = windows.Process32First(snap, &e); err == nil; err = windows.Process32Next(snap, &e) {
		names[e.ProcessID] = windows.UTF16ToString(e.ExeFile[:])
		parents[e.ProcessID] = e.ParentProcessID
	}
	return names[parents[uint32(os.Getpid())]]
}

// running reports whether pid is a live process.
func running(pid int) bool {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE|windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return false
	}
	defer windows.CloseHandle(h)
	ev, _ := windows.WaitForSingleObject(h, 0)
	return ev == uint32(windows.WAIT_TIMEOUT)
}

// killPid ends pid as TerminateProcess does, from this process.
func killPid(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

// wantGone fails unless every pid has exited within d.
func wantGone(t *testing.T, d time.Duration, pids map[string]int, roles ...string) {
	t.Helper()
	var alive []string
	gone := func() bool {
		alive = nil
		for _, r := range roles {
			if running(pids[r]) {
				alive = append(alive, fmt.Sprintf("%s (%d)", r, pids[r]))
			}
		}
		return len(alive) == 0
	}
	if !proctest.PollFor(d, gone) {
		for _, r := range roles {
			killPid(pids[r])
		}
		t.Fatalf("still running %v after nrun was killed: %v", d, alive)
	}
}

// nrunExe is the nrun under test, or the test is skipped, visibly.
func nrunExe(t *testing.T) string {
	t.Helper()
	exe := os.Getenv("NRUN_WINTEST_NRUN")
	if exe == "" {
		t.Skip("SKIP: NRUN_WINTEST_NRUN does not name a Windows build of ./cmd/nrun (scripts/wine-test.sh sets it)")
	}
	return exe
}

// newPackage makes a package with scripts and "app" in node_modules/.bin.
func newPackage(t *testing.T, scripts map[string]string) string {
	t.Helper()
	dir, err := os.MkdirTemp(testRoot, strings.ReplaceAll(t.Name(), "/", "_"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"name": "wintest", "version": "1.0.0", "scripts": scripts})
	writeFile(t, filepath.Join(dir, "package.json"), string(b))
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	copyFile(t, self, filepath.Join(dir, "node_modules", ".bin", "app.exe"))
	return dir
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o666); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o777); err != nil {
		t.Fatal(err)
	}
}

// nrunCmd is nrun ARGS in dir with env added to the test's environment.
func nrunCmd(t *testing.T, dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(nrunExe(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// runNrun runs nrun to its end and returns its output and exit code.
func runNrun(t *testing.T, dir string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := nrunCmd(t, dir, env, args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(30*time.Second, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	_ = cmd.Wait()
	return out.String(), errb.String(), int(uint32(cmd.ProcessState.ExitCode()))
}

// report runs a script that ends in `app report` and decodes its report.
func report(t *testing.T, dir string, env []string, args ...string) appReport {
	t.Helper()
	out, errs, code := runNrun(t, dir, env, args...)
	if code != 0 {
		t.Fatalf("nrun %q: exit %d\nstdout: %s\nstderr: %s", args, code, out, errs)
	}
	var r appReport
	if i := strings.LastIndex(strings.TrimSpace(out), "\n"); i >= 0 {
		out = out[i+1:]
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("nrun %q: %v\nstdout: %s\nstderr: %s", args, err, out, errs)
	}
	return r
}
