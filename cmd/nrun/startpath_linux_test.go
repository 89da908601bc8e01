package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartPathSystemCalls: what `nrun SCRIPT` asks of the kernel before
// the app replaces it, as strace sees it. package.json is opened once and
// checked on its open descriptor, and nothing sets up Go's network poller
// (epoll_create1, eventfd2, two epoll_ctl and four fcntl, which an
// *os.File for a regular file would cost) before the execve.
func TestStartPathSystemCalls(t *testing.T) {
	strace := needStrace(t, "nrun's system calls cannot be seen")
	dir := newPackage(t, map[string]string{"app": "/bin/true"})
	log := filepath.Join(t.TempDir(), "strace")
	cmd := nrunCmd(t, dir, "app")
	cmd.Args = append([]string{strace, "-f", "-qq", "-o", log, cmd.Path}, cmd.Args[1:]...)
	cmd.Path = strace
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("strace nrun app: %v\n%s", err, out)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	before, _, found := strings.Cut(string(data), `execve("/bin/true"`)
	if !found {
		t.Fatalf("nrun never started /bin/true:\n%s", data)
	}
	var opens, stats []string
	for _, line := range strings.Split(before, "\n") {
		// "PID call(...": every thread is traced, whichever runs the start.
		line = strings.TrimLeft(line, "0123456789 ")
		call, _, _ := strings.Cut(line, "(")
		switch {
		case strings.HasPrefix(call, "epoll_create") || call == "eventfd2":
			t.Errorf("the start path set up the network poller: %s", line)
		case !strings.Contains(line, `/package.json"`):
		case call == "openat" || call == "open":
			opens = append(opens, line)
		default:
			stats = append(stats, line)
		}
	}
	if len(opens) != 1 {
		t.Errorf("package.json opened %d times, want once:\n%s", len(opens), strings.Join(opens, "\n"))
	}
	// Finding it takes one look at the path; the checks before reading
	// are made on the open descriptor.
	if len(stats) > 1 {
		t.Errorf("package.json looked up by name %d times, want at most once besides the open:\n%s", len(stats), strings.Join(stats, "\n"))
	}
}
