package runner

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/proctest"
	"github.com/nrunjs/nrun/shell"
	"golang.org/x/sys/unix"
)

func init() {
	// run GRACE PROG ARG...: Run PROG ARG... as helper leave, supervised
	// with grace GRACE; a failed run is status 99.
	helpers["run"] = func(args []string) error {
		grace, err := time.ParseDuration(args[0])
		if err != nil {
			return err
		}
		env := helperEnv()
		c := Cmd{Cmd: shell.Cmd{Kind: shell.Direct, Env: []string{helperVar + "=leave"}, Argv: args[1:]}}
		dir, _ := os.Getwd()
		p := Plan{Dir: dir, Env: env, Scripts: []*Script{{Event: "test", Env: env, Cmds: []Cmd{c}}}}
		o := supervised()
		o.Grace = grace
		return Run(p, o)
	}
}

// TestRunSignalDuringTeardown: a stop signal that reaches nrun while it
// waits out the grace period of a teardown must not abandon the tree: a
// daemon that ignored the SIGTERM is still gone once nrun has exited.
func TestRunSignalDuringTeardown(t *testing.T) {
	dir := t.TempDir()
	pidfile, log := filepath.Join(dir, "pid"), filepath.Join(dir, "log")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	const grace = 20 * time.Second
	nrun := exec.Command(self, grace.String(), self, "-setsid", "-pidfile", pidfile, "-log", log, "-ignore", "term")
	nrun.Env = append(helperEnv().List(), helperVar+"=run")
	nrun.Stderr = os.Stderr
	if err := nrun.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proctest.KillOwn(nrun.Process.Pid) })
	daemon := readPid(t, pidfile)
	// The daemon has ignored the teardown's SIGTERM: nrun waits out the grace.
	if !proctest.Poll(func() bool { data, _ := os.ReadFile(log); return strings.Contains(string(data), "term") }) {
		t.Fatal("the daemon never got the teardown's SIGTERM")
	}
	if err := nrun.Process.Signal(unix.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- nrun.Wait() }()
	select {
	case err := <-done:
		t.Logf("nrun: %v", err)
	case <-time.After(grace + proctest.Timeout):
		t.Fatalf("nrun has not exited %v after the SIGTERM", grace+proctest.Timeout)
	}
	if proctest.Exists(daemon) {
		t.Errorf("the daemon outlived nrun, which got a SIGTERM during the teardown: %s", proctest.Describe(daemon))
	}
}

// TestRunKillReapsEverything: a daemon that Run ends with SIGKILL after
// the grace period is reaped before Run returns, as one that SIGTERM
// ends is. A killed process with many threads shows as a zombie before
// it can be reaped; Run must not take that for gone.
func TestRunKillReapsEverything(t *testing.T) {
	for i := range 100 {
		dir := t.TempDir()
		pidfile, log := filepath.Join(dir, "pid"), filepath.Join(dir, "log")
		o := supervised()
		o.Grace = 50 * time.Millisecond
		c := runAsync(helperPlan(t, helperCmd(t, "leave", "-setsid", "-pidfile", pidfile, "-log", log, "-ignore", "term", "-threads", "200")), o)
		daemon := readPid(t, pidfile)
		r := await(t, c, 2*proctest.Timeout)
		wantExit(t, r.err, ExitError{})
		if proctest.Exists(daemon) {
			t.Fatalf("run %d: the SIGKILLed daemon is left when Run returns: %s", i+1, proctest.Describe(daemon))
		}
	}
}
