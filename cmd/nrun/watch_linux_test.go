package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/nrunjs/nrun/internal/testfs"
)

// countLines counts the lines of file that start with prefix.
func countLines(file, prefix string) int {
	data, _ := os.ReadFile(file)
	n := 0
	for l := range strings.Lines(string(data)) {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

// waitCount polls until count() reaches n.
func waitCount(t *testing.T, what string, n int, count func() int) {
	t.Helper()
	if !probePoll(func() bool { return count() >= n }) {
		t.Fatalf("%s: %d after %v, want %d", what, count(), probePollTimeout, n)
	}
}

// nextNotice returns the next line of nrun's own ("nrun: ...").
func nextNotice(t *testing.T, lines <-chan string) string {
	t.Helper()
	return strings.TrimSpace(expectLine(t, lines, "nrun: "))
}

// writeFile writes data to path, making the directories on the way.
func writeFile(t *testing.T, path, data string) {
	t.Helper()
	testfs.Write(t, filepath.Dir(path), filepath.Base(path), data)
}

// TestWatchOnTerminal: under --watch each edit ends the run and starts a
// new one, and every run finds nothing of the runs before (the app leaves
// a setsid'd daemon each time); three edits give four runs. An edit under
// node_modules gives none: the next notice names the next real edit.
// "rs" typed on the terminal restarts. SIGTERM ends it all.
func TestWatchOnTerminal(t *testing.T) {
	dir := newPackage(t, map[string]string{"serve": "nrun-probe noneleft .t/all || nrun-probe write .t/left x; " +
		"nrun-probe orphan -n 1 -setsid -pidfile .t/p && nrun-probe cat < .t/p >> .t/all && nrun-probe write .t/runs ran && nrun-probe sleep"})
	writeFile(t, filepath.Join(dir, "src/app.js"), "v0")
	writeFile(t, filepath.Join(dir, "node_modules/dep/index.js"), "v0")
	writeFile(t, filepath.Join(dir, ".t/.keep"), "")
	runs := func() int { return countLines(filepath.Join(dir, ".t/runs"), "ran") }
	t.Cleanup(func() {
		data, _ := os.ReadFile(filepath.Join(dir, ".t/all"))
		pids, _ := tsParsePids(string(data))
		for _, pid := range pids {
			if tsRunsPersonality(pid) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})

	ptmx, tty := openPTY(t)
	cmd := nrunCmd(t, dir, "--watch", "--watch-delay", "50ms", "--grace", "5s", "serve")
	cmd.SysProcAttr = nil
	cmd.Env = append(cmd.Env, "NO_COLOR=1", "TERM=xterm", "PROBE_PDEATHSIG=0")
	startOnTTY(t, cmd, tty)
	lines := readLines(ptmx)
	waitCount(t, "runs", 1, runs)
	for run := 2; run <= 4; run++ {
		writeFile(t, filepath.Join(dir, "src/app.js"), fmt.Sprint("v", run))
		if got, want := nextNotice(t, lines), fmt.Sprintf("nrun: %s changed; restarting (run %d)", filepath.Join("src", "app.js"), run); got != want {
			t.Errorf("notice %q, want %q", got, want)
		}
		waitCount(t, "runs", run, runs)
	}
	writeFile(t, filepath.Join(dir, "node_modules/dep/index.js"), "v1")
	writeFile(t, filepath.Join(dir, "src/other.js"), "v1")
	if got, want := nextNotice(t, lines), "nrun: src/other.js changed; restarting (run 5)"; got != want {
		t.Errorf("after an edit under node_modules: notice %q, want %q", got, want)
	}
	waitCount(t, "runs", 5, runs)
	if _, err := ptmx.Write([]byte("rs\n")); err != nil {
		t.Fatal(err)
	}
	if got, want := nextNotice(t, lines), "nrun: restart typed; restarting (run 6)"; got != want {
		t.Errorf("notice %q, want %q", got, want)
	}
	waitCount(t, "runs", 6, runs)
	waitCount(t, "daemons", 6, func() int { return countLines(filepath.Join(dir, ".t/all"), "") })

	if err := syscall.Kill(cmd.Process.Pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for range lines {
	}
	cmd.Wait()
	if left, err := os.ReadFile(filepath.Join(dir, ".t/left")); err == nil {
		t.Errorf("a run started while processes of the runs before were left: %q", left)
	}
	if n := runs(); n != 6 {
		t.Errorf("%d runs, want 6", n)
	}
	data, _ := os.ReadFile(filepath.Join(dir, ".t/all"))
	pids, _ := tsParsePids(string(data))
	if !probePoll(func() bool { return allExited(pids) }) {
		t.Errorf("daemons left after SIGTERM: %v", pids)
	}
}

// TestWatchPortReused: a server on a fixed loopback port, whose detached
// worker holds the listening socket too, restarts 20 times under --watch:
// each run can listen (no EADDRINUSE), because the whole tree of the run
// before, worker included, is gone before it starts.
func TestWatchPortReused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := newPackage(t, map[string]string{"serve": "nrun-probe listen -hold -addr " + addr + " -log .t/log"})
	writeFile(t, filepath.Join(dir, "server.js"), "v0")
	writeFile(t, filepath.Join(dir, ".t/.keep"), "")
	log := filepath.Join(dir, ".t/log")
	t.Cleanup(func() {
		data, _ := os.ReadFile(log)
		for l := range strings.Lines(string(data)) {
			var pid int
			if _, err := fmt.Sscanf(l, "holder pid=%d", &pid); err == nil && tsRunsPersonality(pid) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	cmd := nrunCmd(t, dir, "--watch", "--watch-delay", "20ms", "--grace", "5s", "serve")
	cmd.Env = append(cmd.Env, "PROBE_PDEATHSIG=0")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	started := func() int { return countLines(log, "listening") + countLines(log, "EADDRINUSE") }
	waitCount(t, "runs", 1, started)
	for run := 2; run <= 21; run++ {
		writeFile(t, filepath.Join(dir, "server.js"), fmt.Sprint("v", run))
		waitCount(t, "runs", run, started)
	}
	if n := countLines(log, "EADDRINUSE"); n > 0 {
		t.Errorf("%d of 21 runs could not listen: EADDRINUSE", n)
	}
	if n := countLines(log, "listening"); n != 21 {
		t.Errorf("%d runs listened, want 21", n)
	}
	_ = syscall.Kill(cmd.Process.Pid, syscall.SIGTERM)
	cmd.Wait()
}

// TestWatchRereadsEnvFiles: under --watch every run reads the env files
// again, so an edit of .env reaches the next run.
func TestWatchRereadsEnvFiles(t *testing.T) {
	dir := newPackage(t, map[string]string{"serve": "nrun-probe env ECO >> .t/seen && nrun-probe write .t/runs ran && nrun-probe sleep"})
	writeFile(t, filepath.Join(dir, ".env"), "ECO=v1\n")
	writeFile(t, filepath.Join(dir, ".t/.keep"), "")
	runs := func() int { return countLines(filepath.Join(dir, ".t/runs"), "ran") }
	cmd := nrunCmd(t, dir, "--watch", "--watch-delay", "50ms", "--env-file", ".env", "serve")
	cmd.Env = append(cmd.Env, "PROBE_PDEATHSIG=0")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitCount(t, "runs", 1, runs)
	writeFile(t, filepath.Join(dir, ".env"), "ECO=v2\n")
	waitCount(t, "runs", 2, runs)
	if err := syscall.Kill(cmd.Process.Pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	seen, _ := os.ReadFile(filepath.Join(dir, ".t/seen"))
	if got, want := string(seen), "ECO=\"v1\"\nECO=\"v2\"\n"; got != want {
		t.Errorf("the runs saw %q, want %q", got, want)
	}
}
