package main

// Supervise and init modes on Linux, with real terminals, real signals and
// a real PID namespace.

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/proctest"
	"github.com/nrunjs/nrun/internal/testfs"
)

// TestSuperviseCtrlCOnce: the terminal's Ctrl-C reaches the supervised app
// exactly once (the app's group has the terminal; nrun's does not).
func TestSuperviseCtrlCOnce(t *testing.T) {
	dir := newPackage(t, map[string]string{"app": "nrun-probe signals -ready ready -exit-on INT"})
	ptmx, tty := openPTY(t)
	cmd := nrunCmd(t, dir, "--supervise", "-s", "app")
	cmd.Env = append(cmd.Env, "PROBE_PDEATHSIG=0")
	startOnTTY(t, cmd, tty)
	lines := readLines(ptmx)
	waitForFile(t, filepath.Join(dir, "ready"))
	if _, err := ptmx.Write([]byte{3}); err != nil {
		t.Fatal(err)
	}
	var out []string
	for l := range lines {
		out = append(out, l)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("nrun: %v", err)
	}
	if n := strings.Count(strings.Join(out, "\n"), "got int"); n != 1 {
		t.Errorf("the app saw SIGINT %d times, want once:\n%s", n, strings.Join(out, "\n"))
	}
}

// TestSuperviseCtrlZ: under an interactive shell, Ctrl-Z stops the whole
// job (nrun and the app), and fg resumes it.
func TestSuperviseCtrlZ(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("SKIP: needs bash for job control")
	}
	dir := newPackage(t, map[string]string{"app": "nrun-probe signals -ready ready -log log -exit-on INT"})
	ptmx, tty := openPTY(t)
	nrunPath, err := exec.LookPath("nrun")
	if err != nil {
		t.Fatal(err)
	}
	sh := exec.Command(bash, "--norc", "--noprofile", "-i")
	sh.Dir = dir
	sh.Env = append(os.Environ(), "PS1=$ ", "PROBE_PDEATHSIG=0", "GORACE=atexit_sleep_ms=0")
	startOnTTY(t, sh, tty)
	t.Cleanup(func() { _ = syscall.Kill(-sh.Process.Pid, syscall.SIGKILL); sh.Wait() })
	lines := readLines(ptmx)
	type_ := func(s string) {
		if _, err := ptmx.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	type_(nrunPath + " --supervise -s app\n")
	pids := waitForFile(t, filepath.Join(dir, "ready"))
	app, _ := strconv.Atoi(strings.TrimPrefix(strings.Fields(pids)[0], "pid="))
	parent, _ := strconv.Atoi(strings.TrimPrefix(strings.Fields(pids)[1], "ppid="))
	// bash put nrun and the app in groups of their own: end them by pid.
	t.Cleanup(func() {
		for _, pid := range []int{app, parent} {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	type_("\x1a") // ^Z
	expectLine(t, lines, "Stopped")
	for _, pid := range []int{app, parent} {
		if !pollState(pid, 'T') {
			t.Errorf("pid %d is not stopped after ^Z", pid)
		}
	}
	type_("fg\n")
	for _, pid := range []int{app, parent} {
		if !pollState(pid, 'S') {
			t.Errorf("pid %d did not resume after fg", pid)
		}
	}
	type_("\x03") // ^C ends the app
	type_("echo done-$?\n")
	expectLine(t, lines, "done-0")
	if data, _ := os.ReadFile(filepath.Join(dir, "log")); strings.Count(string(data), "got int") != 1 {
		t.Errorf("app log after ^Z, fg, ^C:\n%s", data)
	}
}

// pollState waits up to 10 s for /proc/<pid>/stat to show state.
func pollState(pid int, state byte) bool {
	return probePoll(func() bool {
		s, _, err := probeProcStat(pid)
		return err == nil && s == state
	})
}

// TestSuperviseSIGKILL: when nrun itself is SIGKILLed, its direct child
// dies through the parent-death signal within a second. Grandchildren are
// not guaranteed (see docs/modes.md); this test checks the direct child only.
func TestSuperviseSIGKILL(t *testing.T) {
	dir := newPackage(t, map[string]string{"app": "nrun-probe signals -ready ready"})
	cmd := nrunCmd(t, dir, "--supervise", "app")
	cmd.Env = append(cmd.Env, "PROBE_PDEATHSIG=0")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pids := waitForFile(t, filepath.Join(dir, "ready"))
	app, _ := strconv.Atoi(strings.TrimPrefix(strings.Fields(pids)[0], "pid="))
	t.Cleanup(func() { _ = syscall.Kill(app, syscall.SIGKILL) })
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if !probePollFor(time.Second, func() bool { return probeHasExited(app) }) {
		t.Fatalf("the app (pid %d) outlived nrun's SIGKILL by more than 1s", app)
	}
}

// unshareNrun starts nrun as PID 1 of a new PID namespace (with its own
// /proc), as a container runtime would, or skips visibly.
func unshareNrun(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	if !tsCanUnshare() {
		t.Skip("SKIP: cannot create a user+PID namespace here (unshare --user --pid --fork --mount-proc)")
	}
	nrunPath, err := exec.LookPath("nrun")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("unshare", append([]string{"--user", "--map-root-user", "--pid", "--fork", "--mount-proc", nrunPath}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GORACE=atexit_sleep_ms=0", "PROBE_PDEATHSIG=0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	t.Cleanup(func() {
		if cmd.Process != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
	return cmd
}

// TestInitReapsZombies: as PID 1, nrun reaps the 40 zombies an app hands
// to it (the second command looks at the namespace's /proc).
func TestInitReapsZombies(t *testing.T) {
	dir := newPackage(t, map[string]string{"app": "nrun-probe zombies -n 40 && nrun-probe nozombies"})
	cmd := unshareNrun(t, dir, "app")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "spawned 40") || !strings.Contains(string(out), "zombies: 0") {
		t.Errorf("nrun as PID 1: %v\n%s", err, out)
	}
}

// TestInitStopsAppWithoutHandlers: `docker stop` sends SIGTERM to PID 1; an
// app with no handlers of its own must stop at once, with status 143.
func TestInitStopsAppWithoutHandlers(t *testing.T) {
	dir := newPackage(t, map[string]string{"start": "nrun-probe sleep -ready ready"})
	cmd := unshareNrun(t, dir, "--grace", "1h", "start")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForFile(t, filepath.Join(dir, "ready"))
	// nrun is unshare's child; its PID outside the namespace is what a
	// runtime signals.
	kids := proctest.Children(cmd.Process.Pid)
	if len(kids) != 1 {
		t.Fatalf("unshare's children: %v", kids)
	}
	if err := syscall.Kill(kids[0], syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// An app that stopped only at the end of the grace period (set to an
	// hour here) would outlast the bounded wait.
	if ended, _ := waitEnd(cmd); !ended {
		t.Fatal("nrun as PID 1 did not stop after SIGTERM")
	}
	if code := cmd.ProcessState.ExitCode(); code != 143 {
		t.Errorf("exit status %d (%v), want 143", code, cmd.ProcessState)
	}
}

// BenchmarkSupervisorRSS reports the resident memory of a supervising nrun
// while its app runs (VmRSS from /proc), per run.
func BenchmarkSupervisorRSS(b *testing.B) {
	var total int
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"scripts":{"app":"nrun-probe sleep -ready ready"}}`), 0o644); err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command("nrun", "--supervise", "app")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PROBE_PDEATHSIG=0")
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		probePoll(func() bool { return probeFileHasData(filepath.Join(dir, "ready")) })
		status, err := probeProcStatus(strconv.Itoa(cmd.Process.Pid))
		if err != nil {
			b.Fatal(err)
		}
		kb, _ := strconv.Atoi(strings.Fields(status["VmRSS"])[0])
		total += kb
		_ = cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}
	b.ReportMetric(float64(total)/float64(b.N), "KiB-RSS")
}

// TestPIDNamespaceSIGKILL: with --pid-namespace, a SIGKILL of nrun ends
// the whole tree — the app and its setsid'd grandchildren — because the
// kernel ends a PID namespace whose init dies.
func TestPIDNamespaceSIGKILL(t *testing.T) {
	if !tsCanUnshare() {
		t.Skip("SKIP: cannot create PID namespaces here")
	}
	dir := newPackage(t, map[string]string{"app": "nrun-probe orphan -n 2 -setsid -pidfile gpids -wait"})
	cmd := nrunCmd(t, dir, "--pid-namespace", "app")
	cmd.Env = append(cmd.Env, "PROBE_PDEATHSIG=0")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForFile(t, filepath.Join(dir, "gpids"))
	// The probes write their namespace PIDs; the test sees host PIDs.
	tree := descendantsOf(cmd.Process.Pid)
	if len(tree) < 4 { // init nrun, the app, two grandchildren
		t.Fatalf("tree under nrun: %v", tree)
	}
	t.Cleanup(func() {
		for _, pid := range tree {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if !probePollFor(2*time.Second, func() bool { return allExited(tree) }) {
		t.Fatalf("the tree %v outlived nrun's SIGKILL by 2s", tree)
	}
}

// descendantsOf walks /proc's children lists below pid.
func descendantsOf(pid int) []int {
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		tasks, _ := os.ReadDir("/proc/" + strconv.Itoa(p) + "/task")
		for _, task := range tasks {
			data, _ := os.ReadFile("/proc/" + strconv.Itoa(p) + "/task/" + task.Name() + "/children")
			for _, f := range strings.Fields(string(data)) {
				n, _ := strconv.Atoi(f)
				out = append(out, n)
				queue = append(queue, n)
			}
		}
	}
	return out
}

// TestWorkspaceSuperviseDiesWithParent: `nrun -w ws --supervise app`
// asks for its parent's death like any supervising nrun (the scan before
// main reads -w's value as a value), so when its parent is SIGKILLed the
// app is torn down. So does every run of several jobs, which supervises
// them whether or not --supervise is given.
func TestWorkspaceSuperviseDiesWithParent(t *testing.T) {
	for _, args := range []string{"-w ws --supervise app", "-w ws app", "--workspaces --parallel app"} {
		t.Run(args, func(t *testing.T) {
			dir := testfs.Tree(t, map[string]string{
				"package.json":    `{"name":"root","private":true,"workspaces":["ws"]}`,
				"ws/package.json": `{"name":"ws","version":"1.0.0","scripts":{"app":"nrun-probe signals -ready ready -exit-on TERM"}}`,
			})
			parent := exec.Command("sh", "-c", "nrun "+args+" & wait")
			parent.Dir = dir
			parent.Env = append(os.Environ(), "GORACE=atexit_sleep_ms=0", "PROBE_PDEATHSIG=0")
			parent.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			if err := parent.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = syscall.Kill(-parent.Process.Pid, syscall.SIGKILL) })
			pids := waitForFile(t, filepath.Join(dir, "ws", "ready"))
			app, _ := strconv.Atoi(strings.TrimPrefix(strings.Fields(pids)[0], "pid="))
			t.Cleanup(func() { _ = syscall.Kill(app, syscall.SIGKILL) })
			if err := parent.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			parent.Wait()
			if !probePoll(func() bool { return probeHasExited(app) }) {
				t.Fatalf("the app (pid %d) outlived the SIGKILL of nrun's parent", app)
			}
		})
	}
}

// inBackground starts argv as `argv &` of a non-interactive sh, which
// starts it with SIGINT and SIGQUIT ignored, and waits for it: the
// shell's status is argv's. The shell leads a process group of its own,
// killed at cleanup.
func inBackground(t *testing.T, dir string, argv ...string) *exec.Cmd {
	t.Helper()
	return groupCmd(t, dir, "sh", append([]string{"-c", `"$@" & wait $!`, "sh"}, argv...)...)
}

// ignoredLine returns the "ignored:" line of nrun-probe sigstate's output.
func ignoredLine(t *testing.T, out []byte) string {
	t.Helper()
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "ignored:") {
			return l
		}
	}
	t.Fatalf("no ignored: line in\n%s", out)
	return ""
}

// TestSuperviseIgnoredOnEntry: a background job of a non-interactive sh
// starts with SIGINT ignored. In supervise and init mode nrun still
// catches a SIGINT sent to it and forwards it, once, to an app that
// installed a handler; and the app starts with SIGINT ignored, exactly as
// sh would have started it without nrun.
func TestSuperviseIgnoredOnEntry(t *testing.T) {
	nrunPath, err := exec.LookPath("nrun")
	if err != nil {
		t.Fatal(err)
	}
	unshare := []string{"unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc"}
	for _, tt := range []struct {
		name string
		argv []string // before the script name
	}{
		{"supervise", []string{nrunPath, "--supervise", "-s"}},
		{"init", []string{nrunPath, "--init", "-s"}},
		{"pid1", append(slices.Clone(unshare), nrunPath, "-s")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "pid1" && !tsCanUnshare() {
				t.Skip("SKIP: cannot create a user+PID namespace here (unshare --user --pid --fork --mount-proc)")
			}
			dir := newPackage(t, map[string]string{
				"app":      "nrun-probe signals -ready ready -log log -exit-on TERM",
				"dies":     "nrun-probe signals -ready dying -die-on INT",
				"prestate": "nrun-probe exit 0", // a first child before the app
				"state":    "nrun-probe sigstate",
			})
			// The oracle: the same probe as sh's background job, without nrun.
			want, err := inBackground(t, dir, "nrun-probe", "sigstate").Output()
			if err != nil {
				t.Fatalf("sh: nrun-probe sigstate &: %v", err)
			}
			if !strings.Contains(ignoredLine(t, want), " int") {
				t.Fatalf("sh did not start its background job with SIGINT ignored: %s", want)
			}
			got, err := inBackground(t, dir, append(slices.Clone(tt.argv), "state")...).Output()
			if err != nil {
				t.Fatalf("sh: nrun state &: %v\n%s", err, got)
			}
			if g, w := ignoredLine(t, got), ignoredLine(t, want); g != w {
				t.Errorf("under nrun the app starts with %q; without nrun with %q", g, w)
			}

			cmd := inBackground(t, dir, append(slices.Clone(tt.argv), "app")...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitForFile(t, filepath.Join(dir, "ready"))
			nrun := nrunOf(t, cmd.Process.Pid, tt.name == "pid1")
			// nrun catches SIGINT once it has started the app; until then
			// it ignores it, as it inherited.
			if !probePoll(func() bool { return catches(nrun, syscall.SIGINT) }) {
				st, _ := probeProcStatus(strconv.Itoa(nrun))
				t.Fatalf("nrun (pid %d) does not catch SIGINT: SigIgn %s SigCgt %s", nrun, st["SigIgn"], st["SigCgt"])
			}
			if err := syscall.Kill(nrun, syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			log := filepath.Join(dir, "log")
			if !probePoll(func() bool { b, _ := os.ReadFile(log); return strings.Contains(string(b), "got int") }) {
				t.Fatal("the app never got the SIGINT sent to nrun")
			}
			if err := syscall.Kill(nrun, syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("nrun: %v", err)
			}
			b, _ := os.ReadFile(log)
			if n := strings.Count(string(b), "got int"); n != 1 {
				t.Errorf("the app got SIGINT %d times, want once:\n%s", n, b)
			}

			// An app that dies of the SIGINT: nrun cannot die of a signal
			// it was given ignored, so it exits 130, the status sh's wait
			// reports for the app itself.
			cmd = inBackground(t, dir, append(slices.Clone(tt.argv), "dies")...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitForFile(t, filepath.Join(dir, "dying"))
			nrun = nrunOf(t, cmd.Process.Pid, tt.name == "pid1")
			if !probePoll(func() bool { return catches(nrun, syscall.SIGINT) }) {
				t.Fatalf("nrun (pid %d) does not catch SIGINT", nrun)
			}
			if err := syscall.Kill(nrun, syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != 130 {
				t.Errorf("nrun's status after the app died of SIGINT: %v, want exit 130", cmd.ProcessState)
			}
		})
	}
}

// nrunOf returns the pid of the nrun that sh started in the background,
// directly or (unshared) as unshare's child.
func nrunOf(t *testing.T, sh int, unshared bool) int {
	t.Helper()
	kids := proctest.Children(sh)
	if unshared && len(kids) > 0 {
		kids = proctest.Children(kids[0])
	}
	if len(kids) == 0 {
		t.Fatalf("no nrun under pid %d", sh)
	}
	return kids[0]
}

// catches reports whether /proc says pid has a handler for sig.
func catches(pid int, sig syscall.Signal) bool {
	st, err := probeProcStatus(strconv.Itoa(pid))
	if err != nil {
		return false
	}
	mask, _ := strconv.ParseUint(st["SigCgt"], 16, 64)
	return mask&(1<<(sig-1)) != 0
}
