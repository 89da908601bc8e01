package main

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY returns the controller and the terminal side of a new pseudo-terminal.
func openPTY(t *testing.T) (ptmx, tty *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	return ptmx, tty
}

// startOnTTY starts cmd as the session leader of a new session whose
// controlling terminal is tty, as a terminal emulator starts a shell.
func startOnTTY(t *testing.T, cmd *exec.Cmd, tty *os.File) {
	t.Helper()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close() // the child holds it; reads on ptmx end when it exits
}

// TestBannerOnTerminal: on a terminal nrun shows each step as one dim line
// on stderr; -s removes it; NO_COLOR keeps the line but drops the colour.
func TestBannerOnTerminal(t *testing.T) {
	dir := newPackage(t, map[string]string{"prex": "nrun-probe write log pre", "x": "nrun-probe argv"})
	for _, tc := range []struct {
		name  string
		args  []string
		env   string
		wants []string
		not   string
	}{
		{"banner", []string{"x", "a b"}, "", []string{"\x1b[2m$ nrun-probe write log pre\x1b[0m", "\x1b[2m$ nrun-probe argv 'a b'\x1b[0m", `0: "a b"`}, ""},
		{"silent", []string{"-s", "x"}, "", []string{"argc: 0"}, "$ nrun-probe"},
		{"nocolor", []string{"x"}, "NO_COLOR=1", []string{"$ nrun-probe argv", "argc: 0"}, "\x1b[2m"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ptmx, tty := openPTY(t)
			cmd := nrunCmd(t, dir, tc.args...)
			cmd.Env = append(cmd.Env, "TERM=xterm", tc.env)
			startOnTTY(t, cmd, tty)
			var all strings.Builder
			for l := range readLines(ptmx) {
				all.WriteString(l + "\n")
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("nrun: %v\n%s", err, all.String())
			}
			for _, w := range tc.wants {
				if !strings.Contains(all.String(), w) {
					t.Errorf("output lacks %q:\n%q", w, all.String())
				}
			}
			if tc.not != "" && strings.Contains(all.String(), tc.not) {
				t.Errorf("output has %q:\n%q", tc.not, all.String())
			}
		})
	}
}

// TestCtrlCDuringHook: Ctrl-C typed while a pre hook runs reaches the hook
// exactly once (the hook's group has the terminal; nrun's does not), and
// nrun then dies of SIGINT as the hook did, without running the script.
func TestCtrlCDuringHook(t *testing.T) {
	dir := newPackage(t, map[string]string{
		"prex": "nrun-probe signals -ready ready -die-on INT",
		"x":    "nrun-probe write log main",
	})
	cmd, out := ctrlCOnTerminal(t, dir, "-s", "x")
	err := cmd.Wait()
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("nrun ended with %v, want death by SIGINT", err)
	}
	got := 0
	for _, l := range out {
		if strings.Contains(l, "got int") {
			got++
		}
	}
	if got != 1 {
		t.Errorf("hook saw SIGINT %d times, want once; output:\n%s", got, strings.Join(out, "\n"))
	}
	if _, err := os.Stat(dir + "/log"); err == nil {
		t.Errorf("the script ran after its pre hook was interrupted")
	}
}

// TestMultiSummaryOnTerminal: a multi-script run ends with one summary
// line on a terminal (each script's status and time); -s removes it.
func TestMultiSummaryOnTerminal(t *testing.T) {
	dir := newPackage(t, map[string]string{"one": "nrun-probe exit 0", "two": "nrun-probe exit 4"})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--sequential", "--no-bail", "one", "two"}, "nrun: one ok "},
		{[]string{"--parallel", "--no-bail", "one", "two"}, "two exit 4 "},
	} {
		cmd, all := onTerminal(t, dir, []string{"NO_COLOR=1"}, tc.args...)
		if code := cmd.ProcessState.ExitCode(); code != 4 {
			t.Errorf("%v: exit %d, want the failure's 4", tc.args, code)
		}
		if !strings.Contains(all.String(), tc.want) || strings.Count(all.String(), "nrun: ") != 1 {
			t.Errorf("%v: output lacks one summary with %q:\n%s", tc.args, tc.want, all.String())
		}
	}
}

// TestIsTerminal: /dev/null is a character device but no terminal, so
// neither the banner nor colours go to it; a pty is one.
func TestIsTerminal(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if isTerminal(null) {
		t.Errorf("%s is taken for a terminal", os.DevNull)
	}
	_, tty := openPTY(t)
	if !isTerminal(tty) {
		t.Errorf("a pty is not taken for a terminal")
	}
}

// TestRestartOnTerminal: on a terminal each restart is one dim line that
// says why the run ended and which run comes; Ctrl-C ends the loop (the
// terminal stays with nrun, which forwards the signal to the app once),
// even with --restart always and an app that exits 0 on it.
func TestRestartOnTerminal(t *testing.T) {
	dir := newPackage(t, map[string]string{
		"crash": "nrun-probe exit 3",
		"die":   "nrun-probe die USR1",
		"serve": "nrun-probe write runs ran && nrun-probe signals -ready ready -exit-on INT",
	})
	for _, tc := range []struct {
		script string
		wants  []string
	}{
		{"crash", []string{"\x1b[2mnrun: exited with status 3; restarting in 0s (run 2)\x1b[0m", "(run 3)"}},
		{"die", []string{"nrun: killed by SIGUSR1; restarting in 0s (run 2)", "(run 3)"}},
	} {
		_, all := onTerminal(t, dir, []string{"TERM=xterm"}, "--restart", "always", "--restart-max", "2", "--restart-delay", "0", tc.script)
		for _, w := range tc.wants {
			if !strings.Contains(all.String(), w) {
				t.Errorf("%s: output lacks %q:\n%q", tc.script, w, all.String())
			}
		}
		if n := strings.Count(all.String(), "restarting"); n != 2 {
			t.Errorf("%s: %d restart lines, want 2:\n%s", tc.script, n, all.String())
		}
	}

	cmd, out := ctrlCOnTerminal(t, dir, "-s", "--restart", "always", "--restart-delay", "0", "serve")
	if err := cmd.Wait(); err != nil {
		t.Errorf("nrun: %v, want the app's exit 0", err)
	}
	if got := strings.Count(strings.Join(out, "\n"), "got int"); got != 1 {
		t.Errorf("the app saw SIGINT %d times, want once:\n%s", got, strings.Join(out, "\n"))
	}
	if runs, _ := os.ReadFile(dir + "/runs"); strings.Count(string(runs), "ran") != 1 {
		t.Errorf("runs after Ctrl-C: %q, want one", runs)
	}
}

// ctrlCOnTerminal starts nrun with args on a pty, waits for the app's
// ready file in dir, types Ctrl-C and returns nrun and every line the
// terminal showed until nrun closed it; the caller waits for nrun.
func ctrlCOnTerminal(t *testing.T, dir string, args ...string) (*exec.Cmd, []string) {
	t.Helper()
	ptmx, tty := openPTY(t)
	cmd := nrunCmd(t, dir, args...)
	cmd.SysProcAttr = nil
	startOnTTY(t, cmd, tty)
	lines := readLines(ptmx)
	waitForFile(t, dir+"/ready")
	if _, err := ptmx.Write([]byte{3}); err != nil { // ^C
		t.Fatal(err)
	}
	var out []string
	for l := range lines {
		out = append(out, l)
	}
	return cmd, out
}

// onTerminal runs nrun with args on a pty, with env added, until it ends,
// and returns it and everything the terminal showed.
func onTerminal(t *testing.T, dir string, env []string, args ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	ptmx, tty := openPTY(t)
	cmd := nrunCmd(t, dir, args...)
	cmd.Env = append(cmd.Env, env...)
	startOnTTY(t, cmd, tty)
	var all strings.Builder
	for l := range readLines(ptmx) {
		all.WriteString(l + "\n")
	}
	cmd.Wait()
	return cmd, &all
}
