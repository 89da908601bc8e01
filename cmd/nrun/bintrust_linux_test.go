package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinTrustAsAnotherUser runs nrun as an unprivileged user (nobody,
// through setpriv), so that the rule is proven for someone other than
// root: root's directories and the user's own are used; another user's
// (daemon's) and a world-writable one are not, and their programs never
// run; NRUN_TRUST_BIN_DIRS, inherited by a nested nrun, lets one in.
func TestBinTrustAsAnotherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("SKIP: switching to another user needs root; run as a normal user, the other bin-trust tests already are unprivileged")
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("SKIP: setpriv (util-linux) is not installed")
	}
	const nobody, daemon = 65534, 1
	// Not t.TempDir: nobody must be able to reach it.
	base, err := os.MkdirTemp("", "nrun-bintrust-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	app := filepath.Join(base, "d", "o", "n", "app")
	files := map[string]string{
		"node_modules/.bin/rtool":           "echo rtool ran", // root's: trusted
		"d/node_modules/.bin/dtool":         "echo FAKE dtool",
		"d/o/node_modules/.bin/otool":       "echo FAKE otool",
		"d/o/n/node_modules/.bin/ntool":     "echo ntool ran", // nobody's own
		"d/o/n/app/node_modules/.bin/atool": "echo atool ran", // the package's
	}
	for name, body := range files {
		p := filepath.Join(base, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(app, "package.json"), []byte(`{"scripts": {
		"all": "id -u && rtool && ntool && atool", "d": "dtool", "o": "otool", "nested": "sh -c 'nrun d'"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	walkChmod(t, base, 0o755)
	for _, p := range []string{"d/o/node_modules", "d/o/node_modules/.bin", "d/o/n/app/node_modules/.bin"} {
		if err := os.Chmod(filepath.Join(base, p), 0o777); err != nil {
			t.Fatal(err)
		}
	}
	for dir, uid := range map[string]int{"d/node_modules": daemon, "d/o/n": nobody} {
		walkChown(t, filepath.Join(base, dir), uid)
	}
	// nrun itself: this test binary, under the name testscript.Main knows.
	bin := filepath.Join(base, "bin")
	copyExecutable(t, bin, "nrun")

	run := func(env []string, args ...string) (stdout, stderr string, code int) {
		cmd := exec.Command(setpriv, append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", "--", filepath.Join(bin, "nrun")}, args...)...)
		cmd.Dir = app
		cmd.Env = append([]string{"PATH=" + bin + ":/usr/bin:/bin", "HOME=" + app, "GORACE=atexit_sleep_ms=0"}, env...)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code = cmd.ProcessState.ExitCode()
		if err != nil && code < 0 {
			t.Fatalf("nrun %v: %v", args, err)
		}
		return out.String(), errb.String(), code
	}
	warnings := []string{
		"nrun: warning: not using " + base + "/d/o/node_modules/.bin: " + base + "/d/o/node_modules is writable by others (drwxrwxrwx)",
		"nrun: warning: not using " + base + "/d/node_modules/.bin: " + base + "/d/node_modules is owned by uid 1",
	}
	checkWarnings := func(what, stderr string, times int) {
		t.Helper()
		for _, w := range warnings {
			if n := strings.Count(stderr, w); n != times {
				t.Errorf("%s: %q appears %d times in stderr, want %d:\n%s", what, w, n, times, stderr)
			}
		}
		if n := strings.Count(stderr, "nrun: warning:"); n != times*len(warnings) {
			t.Errorf("%s: %d warnings, want %d:\n%s", what, n, times*len(warnings), stderr)
		}
	}

	out, errs, code := run(nil, "-s", "all")
	if code != 0 || out != "65534\nrtool ran\nntool ran\natool ran\n" {
		t.Errorf("all: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	checkWarnings("all", errs, 1)
	for _, script := range []string{"d", "o"} {
		out, errs, code = run(nil, script)
		if code != 127 || strings.Contains(out, "FAKE") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 127 and no fake program run", script, code, out, errs)
		}
		checkWarnings(script, errs, 1)
	}
	out, errs, code = run(nil, "nested")
	if code != 127 || strings.Contains(out, "FAKE") {
		t.Errorf("nested: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	checkWarnings("nested (two nruns)", errs, 2)

	trust := []string{"NRUN_TRUST_BIN_DIRS=" + filepath.Join(base, "d", "node_modules", ".bin")}
	out, errs, code = run(trust, "nested")
	if code != 0 || out != "FAKE dtool\n" || strings.Contains(errs, "/d/node_modules") {
		t.Errorf("nested with %s: exit %d, stdout %q, stderr %q; want the listed directory used", trust[0], code, out, errs)
	}
}

// walkChmod sets mode on dir and everything below it.
func walkChmod(t *testing.T, dir string, mode os.FileMode) {
	t.Helper()
	if err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chmod(p, mode)
	}); err != nil {
		t.Fatal(err)
	}
}

// walkChown gives dir and everything below it to uid (and the group of
// the same number).
func walkChown(t *testing.T, dir string, uid int) {
	t.Helper()
	if err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, uid)
	}); err != nil {
		t.Fatal(err)
	}
}

// copyExecutable copies this test binary into dir as name, mode 755.
func copyExecutable(t *testing.T, dir, name string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
