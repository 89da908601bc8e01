//go:build unix

package main

// End-to-end tests that need more than testscript offers: the PID nrun was
// started with, arguments with newlines, a real terminal.

import (
	"bufio"
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

// newPackage writes a package.json with the given scripts into a fresh
// directory and returns the directory.
func newPackage(t *testing.T, scripts map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(packageJSON(scripts)), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// packageJSON is a package.json with the given scripts, in order of name.
func packageJSON(scripts map[string]string) string {
	var b strings.Builder
	b.WriteString(`{"name":"e2e","version":"1.0.0","scripts":{`)
	keys := make([]string, 0, len(scripts))
	for k := range scripts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(k) + ":" + strconv.Quote(scripts[k]))
	}
	b.WriteString("}}")
	return b.String()
}

// nrunCmd returns an unstarted nrun in dir, in its own process group so a
// test's signals reach only it, and killed with its group at cleanup.
func nrunCmd(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	return groupCmd(t, dir, "nrun", args...)
}

// startCollecting starts cmd with its output and its errors gathered in
// one buffer, to read once cmd has exited.
func startCollecting(t *testing.T, cmd *exec.Cmd) *strings.Builder {
	t.Helper()
	out := new(strings.Builder)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return out
}

// groupCmd is a command in dir leading a process group of its own, which
// the test's cleanup kills whole.
func groupCmd(t *testing.T, dir, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GORACE=atexit_sleep_ms=0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	t.Cleanup(func() {
		if cmd.Process != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
	return cmd
}

// waitForFile polls for a non-empty file for up to 10 s.
func waitForFile(t *testing.T, path string) string {
	t.Helper()
	var data []byte
	if !probePoll(func() bool {
		var err error
		data, err = os.ReadFile(path)
		return err == nil && len(data) > 0
	}) {
		t.Fatalf("%s did not appear within %v", path, probePollTimeout)
	}
	return string(data)
}

// TestExecKeepsPID: the app runs with the PID nrun was started with: for a
// direct line, a list, a shell line whose last command sh can exec, and
// nested runner calls run in place.
func TestExecKeepsPID(t *testing.T) {
	for name, line := range map[string]string{
		"direct": "nrun-probe pid -file pidfile",
		"env":    "NODE_ENV=production nrun-probe pid -file pidfile",
		"hooked": "nrun-probe pid -file pidfile",
		"chain":  "nrun-probe exit 0 && nrun-probe pid -file pidfile",
		"cd":     "cd sub && nrun-probe pid -file ../pidfile",
		"shell":  "nrun-probe exit 0 | nrun-probe exit 0; nrun-probe pid -file pidfile > out.txt",
		"nested": "npm run inner",
		"yarn":   "nrun-probe exit 0 && yarn inner",
	} {
		t.Run(name, func(t *testing.T) {
			scripts := map[string]string{"app": line, "inner": "nrun-probe pid -file pidfile", "preinner": "nrun-probe exit 0"}
			if name == "hooked" {
				scripts["preapp"] = "nrun-probe exit 0"
			}
			dir := newPackage(t, scripts)
			if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := nrunCmd(t, dir, "app")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("nrun app: %v\n%s", err, out)
			}
			got := waitForFile(t, filepath.Join(dir, "pidfile"))
			want := "pid=" + strconv.Itoa(cmd.Process.Pid) + " "
			if !strings.HasPrefix(got, want) {
				t.Errorf("app reports %q; nrun was pid %d", got, cmd.Process.Pid)
			}
		})
	}
}

// TestArgsNewline: arguments with newlines and tabs arrive byte for byte.
func TestArgsNewline(t *testing.T) {
	args := []string{"new\nline", "tab\there", "\n", "trailing\n"}
	dir := newPackage(t, map[string]string{"direct": "nrun-probe argv", "viashell": "nrun-probe argv 2>&1"})
	for _, script := range []string{"direct", "viashell"} {
		out, err := nrunCmd(t, dir, append([]string{script}, args...)...).Output()
		if err != nil {
			t.Fatalf("%s: %v", script, err)
		}
		want := "argc: 4\n"
		for i, a := range args {
			want += strconv.Itoa(i) + ": " + strconv.Quote(a) + "\n"
		}
		if string(out) != want {
			t.Errorf("%s: got\n%s\nwant\n%s", script, out, want)
		}
	}
}

// TestNoOutputOnSuccess: with stderr not a terminal nrun prints nothing of
// its own, also when hooks run.
func TestNoOutputOnSuccess(t *testing.T) {
	dir := newPackage(t, map[string]string{"prex": "nrun-probe exit 0", "x": "nrun-probe exit 0", "postx": "nrun-probe exit 0"})
	cmd := nrunCmd(t, dir, "x")
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) != 0 {
		t.Errorf("nrun x: err %v, output %q", err, out)
	}
}

// waitEnd waits for a started command through the one bounded poll and
// reports whether it ended, and how; one still running then is left to
// the test's cleanup, which kills it.
func waitEnd(cmd *exec.Cmd) (ended bool, err error) {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	ended = probePoll(func() bool {
		select {
		case err = <-done:
			return true
		default:
			return false
		}
	})
	return ended, err
}

// readLines delivers a reader's lines on a channel until it ends.
func readLines(r *os.File) <-chan string {
	ch := make(chan string, 64)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

// expectLine waits up to 10 s for a line containing want, and returns it
// from want on.
func expectLine(t *testing.T, lines <-chan string, want string) string {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("output ended before a line with %q", want)
			}
			if i := strings.Index(l, want); i >= 0 {
				return l[i:]
			}
		case <-timeout:
			t.Fatalf("no line with %q within 10s", want)
		}
	}
}
