package runner

// What only Linux lets a supervisor do: adopt orphans as a subreaper (the
// test process becomes one in Run), find setsid'd daemons among its
// descendants, and run the program in a PID namespace of its own.

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/proctest"
	"golang.org/x/sys/unix"
)

// wantNoChildren fails if the test process has a child left, a zombie
// included: when Run returns it has reaped everything it adopted.
func wantNoChildren(t *testing.T) {
	t.Helper()
	for _, pid := range proctest.Children(os.Getpid()) {
		t.Errorf("a child is left after Run returned: %s", proctest.Describe(pid))
	}
}

// TestRunReapsZombies: children that exited unwaited in sessions of their
// own, orphaned when the program exits, are reaped by Run although no
// signal to the program's group reaches them.
func TestRunReapsZombies(t *testing.T) {
	pidfile := filepath.Join(t.TempDir(), "pids")
	wantExit(t, Run(helperPlan(t, helperCmd(t, "zombies", "-n", "3", "-pidfile", pidfile)), supervised()), ExitError{})
	for _, pid := range readPids(t, pidfile) {
		if proctest.Exists(pid) {
			t.Errorf("a zombie handed to Run is not reaped: %s", proctest.Describe(pid))
		}
	}
	wantNoChildren(t)
}

// TestRunAdoptsOrphans: a child the program leaves running is adopted by
// the test process, which Run made a subreaper, and reaped once it exits.
func TestRunAdoptsOrphans(t *testing.T) {
	dir := t.TempDir()
	pidfile, ppidfile := filepath.Join(dir, "pid"), filepath.Join(dir, "ppid")
	wantExit(t, Run(helperPlan(t, helperCmd(t, "orphan", "-pidfile", pidfile, "-ppid", ppidfile)), supervised()), ExitError{})
	orphan := readPid(t, pidfile)
	if ppid := readNumbers(t, ppidfile)[0]; ppid != os.Getpid() {
		t.Errorf("the orphan was adopted by pid %d, not by the test process %d", ppid, os.Getpid())
	}
	if proctest.Exists(orphan) {
		t.Errorf("the orphan is not reaped: %s", proctest.Describe(orphan))
	}
	wantNoChildren(t)
}

// TestRunTearsDownDaemons: a daemon the program leaves in a session of its
// own is out of reach of its process group, yet gets SIGTERM and is gone
// when Run returns; one that ignores SIGTERM gets SIGKILL after Grace.
func TestRunTearsDownDaemons(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ignore string
		grace  time.Duration
	}{
		{"term", "", 10 * time.Minute}, // only the SIGTERM can end it in time
		{"kill", "term", 300 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			pidfile, log := filepath.Join(dir, "pid"), filepath.Join(dir, "log")
			o := supervised()
			o.Grace = tc.grace
			c := runAsync(helperPlan(t, helperCmd(t, "leave", "-setsid", "-pidfile", pidfile, "-log", log, "-ignore", tc.ignore, "-exit", "5")), o)
			daemon := readPid(t, pidfile)
			r := await(t, c, 2*proctest.Timeout)
			wantExit(t, r.err, ExitError{Code: 5})
			waitLog(t, log, "term")
			if tc.ignore == "" {
				if proctest.Exists(daemon) {
					t.Errorf("the daemon is left when Run returns: %s", proctest.Describe(daemon))
				}
				wantNoChildren(t)
				return
			}
			// Only its death is checked, not that Run has reaped it: a
			// killed process with several threads stays unreapable for a
			// moment after it shows as a zombie, and Run does not wait
			// for that after a SIGKILL yet.
			if !proctest.Exited(daemon) {
				t.Errorf("the daemon is alive when Run returns: %s", proctest.Describe(daemon))
			}
			if r.elapsed < tc.grace {
				t.Errorf("Run returned after %v, before the grace period of %v", r.elapsed, tc.grace)
			}
		})
	}
}

// TestRunPIDNamespace: with PIDNamespace the program runs in a PID
// namespace of its own, its status still comes through (a death by signal
// N as status 128+N only: its init reports it so), and a daemon that
// ignores SIGTERM inside the namespace is gone when Run returns.
func TestRunPIDNamespace(t *testing.T) {
	o := supervised()
	o.PIDNamespace, o.Grace = true, 300*time.Millisecond
	nsfile := filepath.Join(t.TempDir(), "ns")
	err := Run(helperPlan(t, helperCmd(t, "pidns", nsfile)), o)
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSPC) || errors.Is(err, unix.EUSERS) {
		t.Skipf("SKIP: no PID namespace here: %v", err)
	}
	wantExit(t, err, ExitError{})
	ns, err := os.ReadFile(nsfile)
	if err != nil {
		t.Fatal(err)
	}
	if own, _ := os.Readlink("/proc/self/ns/pid"); string(ns) == own {
		t.Fatalf("the program ran in the test's own PID namespace %s", own)
	}

	wantExit(t, Run(helperPlan(t, helperCmd(t, "exit", "7")), o), ExitError{Code: 7})

	err = Run(helperPlan(t, helperCmd(t, "die", strconv.Itoa(int(unix.SIGTERM)))), o)
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != 128+int(syscall.SIGTERM) {
		t.Errorf("Run: %v, want status %d", err, 128+int(syscall.SIGTERM))
	}

	dir := t.TempDir()
	pidfile, log := filepath.Join(dir, "pid"), filepath.Join(dir, "log")
	c := runAsync(helperPlan(t, helperCmd(t, "leave", "-setsid", "-pidfile", pidfile, "-log", log, "-ignore", "term")), o)
	daemon := readPid(t, pidfile)
	r := await(t, c, 2*proctest.Timeout)
	wantExit(t, r.err, ExitError{})
	if proctest.Exists(daemon) {
		t.Errorf("the daemon is left in the namespace when Run returns: %s", proctest.Describe(daemon))
	}
	waitLog(t, log, "term")
	wantNoChildren(t)
}
