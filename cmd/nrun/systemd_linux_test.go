package main

// The systemd recipe of docs/deploy.md under a real systemd: PID 1 of a
// systemd-nspawn machine booted from the cached Debian root file system
// (deploy_linux_test.go). Every unit is examples/systemd/app.service with
// only the keys a check needs changed, so the example and the tests cannot
// drift apart.

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// machine is a booted systemd-nspawn container.
type machine struct {
	root string // its root directory on the host
	pid1 int    // its systemd, as the host sees it
}

// bootMachine boots root with systemd-nspawn and waits until its systemd
// has finished starting up. The machine is powered off (killed if it does
// not go) when the test ends, pass or fail.
func bootMachine(t *testing.T, root string) *machine {
	t.Helper()
	name := fmt.Sprintf("nrun-test-%d", os.Getpid())
	console, err := os.Create(filepath.Join(t.TempDir(), "console"))
	if err != nil {
		t.Fatal(err)
	}
	defer console.Close()
	// The host runs no systemd and no D-Bus: nothing to register with,
	// no scope unit to make (--register=no --keep-unit).
	cmd := exec.Command("systemd-nspawn", "-D", root, "-M", name, "-b", "--register=no",
		"--keep-unit", "--private-network", "--console=passive")
	cmd.Stdout, cmd.Stderr = console, console
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	m := &machine{root: root}
	t.Cleanup(func() {
		if m.pid1 > 0 {
			_, _ = m.exec(time.Minute, "systemctl", "--no-block", "poweroff")
		}
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Errorf("the machine did not power off in 30 s: killed")
			if m.pid1 > 0 {
				_ = syscall.Kill(m.pid1, syscall.SIGKILL) // ends its PID namespace
			}
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		// nspawn leaves this mount point behind when the host's /run is
		// not its own.
		_ = os.Remove(filepath.Join("/run/systemd/nspawn/propagate", name))
	})
	consoleLog := func() string { data, _ := os.ReadFile(console.Name()); return string(data) }
	// The machine's systemd is the nspawn process's child.
	if !probePoll(func() bool {
		for _, pid := range procChildren(cmd.Process.Pid) {
			if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.TrimSpace(string(comm)) == "systemd" {
				m.pid1 = pid
				return true
			}
		}
		return false
	}) {
		t.Fatalf("systemd-nspawn started no systemd:\n%s", consoleLog())
	}
	// A boot takes about a second; allow for a machine busy with more.
	var state string
	if !probePollFor(time.Minute, func() bool {
		state, _ = m.exec(time.Minute, "systemctl", "is-system-running")
		state = strings.TrimSpace(state)
		return state == "running" || state == "degraded"
	}) {
		t.Fatalf("the machine's systemd says %q after a minute:\n%s", state, consoleLog())
	}
	return m
}

// exec runs a command inside the machine.
func (m *machine) exec(timeout time.Duration, args ...string) (string, error) {
	return deployOutput(timeout, nil, "nsenter", append([]string{"-t", strconv.Itoa(m.pid1), "-a"}, args...)...)
}

// ctl runs systemctl inside the machine and fails the test on error.
func (m *machine) ctl(t *testing.T, args ...string) string {
	t.Helper()
	out, err := m.exec(2*time.Minute, append([]string{"systemctl"}, args...)...)
	if err != nil {
		t.Fatalf("systemctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

// show is one property of a unit.
func (m *machine) show(t *testing.T, unit, prop string) string {
	t.Helper()
	return m.ctl(t, "show", "-P", prop, unit)
}

// journal is what the machine logged for a unit, messages only.
func (m *machine) journal(unit string) string {
	out, _ := m.exec(time.Minute, "journalctl", "-u", unit, "-o", "cat", "--no-pager")
	return out
}

// hostPid is the host's pid of a process of the machine (its own pid), 0
// if there is none.
func (m *machine) hostPid(pid string) int {
	for _, p := range procTree(m.pid1) {
		if nsPid(p) == pid {
			return p
		}
	}
	return 0
}

// cgroupProcs lists the processes of a unit's cgroup, in the machine's pids.
func (m *machine) cgroupProcs(t *testing.T, unit string) []string {
	t.Helper()
	cg := m.show(t, unit, "ControlGroup")
	// unified, hybrid and legacy hierarchies keep it in different places
	for _, dir := range []string{"/sys/fs/cgroup", "/sys/fs/cgroup/unified", "/sys/fs/cgroup/systemd"} {
		if out, err := m.exec(time.Minute, "cat", dir+cg+"/cgroup.procs"); err == nil {
			return strings.Fields(out)
		}
	}
	t.Fatalf("no cgroup.procs for %s (%s)", unit, cg)
	return nil
}

// recipeUnit is the example unit with WorkingDirectory set to dir and each
// "Key=value" of set replacing that key's lines in [Service].
func recipeUnit(example, dir string, set ...string) string {
	set = append([]string{"WorkingDirectory=" + dir}, set...)
	keys := map[string]bool{}
	for _, kv := range set {
		k, _, _ := strings.Cut(kv, "=")
		keys[k] = true
	}
	var out []string
	section := ""
	for _, line := range strings.Split(example, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "[") {
			if section == "Service" {
				out = append(out, set...)
			}
			section = strings.Trim(trimmed, "[]")
		}
		if k, _, ok := strings.Cut(trimmed, "="); ok && section == "Service" && keys[strings.TrimSpace(k)] && !strings.HasPrefix(trimmed, "#") {
			continue
		}
		out = append(out, line)
	}
	if section == "Service" {
		out = append(out, set...)
	}
	return strings.Join(out, "\n") + "\n"
}

// systemdRecipe is the machine and the example unit the subtests share.
type systemdRecipe struct {
	m        *machine
	example  string
	uid, gid int // of the unit's User= and Group=
}

// service installs unit name: the example with set applied, running in
// /srv/name an app with the given scripts. It returns the app directory on
// the host; the unit is stopped when the test ends.
func (r *systemdRecipe) service(t *testing.T, name string, scripts map[string]string, set ...string) string {
	t.Helper()
	dir := filepath.Join(r.m.root, "srv", name)
	deployApp(t, dir, r.uid, r.gid, scripts)
	unit := recipeUnit(r.example, "/srv/"+name, set...)
	if err := os.WriteFile(filepath.Join(r.m.root, "etc/systemd/system", name+".service"), []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	r.m.ctl(t, "daemon-reload")
	t.Cleanup(func() {
		_, _ = r.m.exec(time.Minute, "systemctl", "stop", name)
		if t.Failed() {
			t.Logf("unit %s:\n%s\njournal:\n%s", name, unit, r.m.journal(name))
		}
	})
	return dir
}

// up waits for the app of a unit to be up and checks that it is MainPID.
func (r *systemdRecipe) up(t *testing.T, name, dir string) string {
	t.Helper()
	pid := deployState(dir, "up")
	if pid == "" {
		t.Fatalf("%s: the app did not come up; state %s, journal:\n%s",
			name, r.m.show(t, name, "ActiveState"), r.m.journal(name))
	}
	if main := r.m.show(t, name, "MainPID"); main != pid {
		t.Errorf("%s: MainPID=%s (%s), the app is %s (%s)", name, main, cmdline(r.m.hostPid(main)), pid, cmdline(r.m.hostPid(pid)))
	}
	return pid
}

// TestSystemdRecipe checks each claim of docs/deploy.md's systemd section
// against a real systemd, with examples/systemd/app.service.
func TestSystemdRecipe(t *testing.T) {
	deployNeeds(t, "systemd-nspawn", "debootstrap", "nsenter")
	root := deployRootfs(t)
	deployNode(t, root)
	deployInstall(t, deployBuild(t, "."), filepath.Join(root, "usr/local/bin/nrun"))
	deployInstall(t, deployBuild(t, "./testdata/deploy/sdnotify"), filepath.Join(root, "usr/local/bin/sdnotify"))
	example, err := os.ReadFile(filepath.Join("..", "..", "examples", "systemd", "app.service"))
	if err != nil {
		t.Fatal(err)
	}
	unit := unitFile(t, filepath.Join("..", "..", "examples", "systemd", "app.service"))
	user, group := unit["Service"]["User"], unit["Service"]["Group"]
	if len(user) != 1 || len(group) != 1 || user[0] != group[0] {
		t.Fatalf("the example sets User=%q Group=%q; the test makes one user with its own group", user, group)
	}
	deployRun(t, time.Minute, "chroot", root, "useradd", "--system", "--user-group", user[0])
	r := &systemdRecipe{example: string(example)}
	r.uid, r.gid = chrootID(t, root, "-u", user[0]), chrootID(t, root, "-g", user[0])
	r.m = bootMachine(t, root)
	serve := map[string]string{"start": "node app.js serve"}

	t.Run("MainPIDIsTheApp", func(t *testing.T) {
		dir := r.service(t, "main", serve)
		r.m.ctl(t, "start", "main")
		pid := r.up(t, "main", dir)
		if got, want := cmdline(r.m.hostPid(pid)), "node app.js serve"; got != want {
			t.Errorf("MainPID %s runs %q, want %q", pid, got, want)
		}
		if got := r.m.show(t, "main", "ExecMainPID"); got != pid {
			t.Errorf("ExecMainPID=%s, want the app's %s: nrun did not become the app", got, pid)
		}
	})

	for _, mode := range []string{"control-group", "mixed"} {
		t.Run("StopSendsOneSIGTERM/"+mode, func(t *testing.T) {
			name := "stop-" + mode
			dir := r.service(t, name, serve, "KillMode="+mode)
			r.m.ctl(t, "start", name)
			pid := r.up(t, name, dir)
			r.m.ctl(t, "stop", name)
			if got, want := deployLines(dir, "signals"), []string{"SIGTERM " + pid}; !slices.Equal(got, want) {
				t.Errorf("the app's signals: %q, want %q", got, want)
			}
			if res := r.m.show(t, name, "Result"); res != "success" {
				t.Errorf("Result=%s after stop, want success (the app's handler exits 0)", res)
			}
		})
	}

	t.Run("NotifyAccessMain", func(t *testing.T) {
		notify := []string{"Type=notify", "NotifyAccess=main", "TimeoutStartSec=30"}
		dir := r.service(t, "notify", map[string]string{"start": "sdnotify self"}, notify...)
		// start returns once READY=1 has been accepted
		r.m.ctl(t, "start", "notify")
		r.up(t, "notify", dir)
		if got := r.m.show(t, "notify", "ActiveState"); got != "active" {
			t.Errorf("ActiveState=%s after READY=1 from the app, want active", got)
		}

		// The control: the same READY=1 sent by a child of the app is
		// refused, so the check above can fail.
		dir = r.service(t, "notify-child", map[string]string{"start": "sdnotify child"}, notify...)
		r.m.ctl(t, "start", "--no-block", "notify-child")
		sender := deployState(dir, "up")
		if main := r.m.show(t, "notify-child", "MainPID"); sender == "" || sender == main {
			t.Fatalf("READY=1 was sent by %q, want a child of the app %s:\n%s", sender, main, r.m.journal("notify-child"))
		}
		const refused = "reception only permitted for main PID"
		if !probePoll(func() bool { return strings.Contains(r.m.journal("notify-child"), refused) }) {
			t.Errorf("systemd did not refuse READY=1 from the app's child:\n%s", r.m.journal("notify-child"))
		}
		if got := r.m.show(t, "notify-child", "ActiveState"); got != "activating" {
			t.Errorf("ActiveState=%s after a refused READY=1, want activating", got)
		}
	})

	t.Run("RestartOnFailureSeesAppStatus", func(t *testing.T) {
		// A long RestartSec keeps the unit waiting to restart, where
		// systemd shows what it decided and from which process.
		dir := r.service(t, "exit3", map[string]string{"start": "node app.js exit 3"}, "RestartSec=1h")
		r.m.ctl(t, "start", "exit3")
		pid := deployState(dir, "up")
		var sub string
		if !probePoll(func() bool { sub = r.m.show(t, "exit3", "SubState"); return sub == "auto-restart" }) {
			t.Errorf("SubState=%s after the app exited 3, want auto-restart", sub)
		}
		props := map[string]string{"ExecMainPID": pid, "ExecMainCode": "1", "ExecMainStatus": "3", "Result": "exit-code"}
		for prop, want := range props {
			if got := r.m.show(t, "exit3", prop); got != want {
				t.Errorf("%s=%s, want %s", prop, got, want)
			}
		}
		// The control: the app's exit 0 is a success, and no restart
		// follows (systemd unloads the inactive unit: its journal tells).
		r.service(t, "exit0", map[string]string{"start": "node app.js exit 0"}, "RestartSec=1h")
		r.m.ctl(t, "start", "exit0")
		if !probePoll(func() bool { return strings.Contains(r.m.journal("exit0"), "Deactivated successfully") }) ||
			strings.Contains(r.m.journal("exit0"), "Failed") {
			t.Errorf("after the app exited 0:\n%s", r.m.journal("exit0"))
		}
	})

	t.Run("TenRestarts", func(t *testing.T) {
		dir := r.service(t, "restart", serve)
		r.m.ctl(t, "start", "restart")
		var stopped []string // "SIGTERM pid" of each app a restart stops
		for i := 0; i <= 10; i++ {
			// Wait for the app before each restart: one that lands
			// before nrun has exec'ed stops nrun, as it would stop the app.
			pid := r.up(t, "restart", dir)
			if slices.Contains(stopped, "SIGTERM "+pid) {
				t.Fatalf("restart %d: the app's pid %s is not new", i, pid)
			}
			if procs := r.m.cgroupProcs(t, "restart"); !slices.Equal(procs, []string{pid}) {
				t.Errorf("restart %d: the unit's cgroup holds %q, want only the app %s", i, procs, pid)
			}
			if errs := deployLines(dir, "errors"); len(errs) > 0 {
				t.Fatalf("restart %d: the app failed to listen: %q", i, errs)
			}
			if i < 10 {
				if err := os.Remove(filepath.Join(dir, "state", "up")); err != nil {
					t.Fatal(err)
				}
				// Ten starts in a few seconds hit systemd's own guard,
				// StartLimitBurst, which is not what is tested here.
				r.m.ctl(t, "reset-failed", "restart")
				r.m.ctl(t, "restart", "restart")
				stopped = append(stopped, "SIGTERM "+pid)
			}
		}
		if got := deployLines(dir, "signals"); !slices.Equal(got, stopped) {
			t.Errorf("the SIGTERMs of ten restarts: %q, want one for each app stopped: %q", got, stopped)
		}
	})

	t.Run("PrestartKeepsPID", func(t *testing.T) {
		dir := r.service(t, "prestart", map[string]string{"prestart": "node app.js mark prestart", "start": "node app.js serve"})
		r.m.ctl(t, "start", "prestart")
		pid := r.up(t, "prestart", dir)
		hook := deployState(dir, "prestart")
		if hook == "" || hook == pid {
			t.Errorf("the prestart hook ran as %q, the app as %s: want the hook as a child", hook, pid)
		}
		if got := r.m.show(t, "prestart", "ExecMainPID"); got != pid {
			t.Errorf("ExecMainPID=%s, want the app's %s", got, pid)
		}
	})

	t.Run("SuperviseMixed", func(t *testing.T) {
		dir := r.service(t, "supervise", serve,
			"ExecStart=/usr/local/bin/nrun --supervise start", "KillMode=mixed")
		r.m.ctl(t, "start", "supervise")
		pid := deployState(dir, "up")
		main := r.m.show(t, "supervise", "MainPID")
		if got := cmdline(r.m.hostPid(main)); got != "/usr/local/bin/nrun --supervise start" {
			t.Errorf("MainPID %s runs %q, want nrun", main, got)
		}
		if _, ppid, err := probeProcStat(r.m.hostPid(pid)); err != nil || ppid != r.m.hostPid(main) {
			t.Errorf("the app %s is not nrun's child:\n%s", pid, describeTree(r.m.hostPid(main)))
		}
		r.m.ctl(t, "stop", "supervise")
		if got, want := deployLines(dir, "signals"), []string{"SIGTERM " + pid}; !slices.Equal(got, want) {
			t.Errorf("the app's signals: %q, want %q", got, want)
		}
	})
}

// chrootID is id -u or id -g of a user of root.
func chrootID(t *testing.T, root, flag, user string) int {
	t.Helper()
	out := deployRun(t, time.Minute, "chroot", root, "id", flag, user)
	n, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil {
		t.Fatal(errors.Join(fmt.Errorf("id %s %s: %q", flag, user, out), err))
	}
	return n
}
