package runner

import (
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows"

	"github.com/nrunjs/nrun/internal/proctest"
)

// winAwkwardArgs must arrive byte for byte, and none may run as code: each
// "pwned" one creates a file if cmd.exe ever reads it as a command.
var winAwkwardArgs = []string{
	"a b", "", "$HOME", "`id`", `"quoted"`, "it's", "*.json", `back\slash\\`, `tail\`,
	`a\"b`, "!", "^&|<>()", "--flag", "ünï©ødé ✓", "  lead and trail  ", "a=b", "~", "#hash",
	"\t", `"&app touch pwned1`, `&app touch pwned2`, `"|app touch pwned3|"`, `^&app touch pwned4`,
	`"" & app touch pwned5 & ""`, `%COMSPEC%`, `!COMSPEC!`, `"%COMSPEC%"`,
}

// onWine reports whether these tests run under Wine rather than Windows.
func onWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

// isNrun reports whether image is the nrun under test's executable name.
func isNrun(t *testing.T, image string) bool {
	return strings.EqualFold(image, filepath.Base(nrunExe(t)))
}

// checkArgs compares what the app got with what was passed, and that no
// argument ran as code.
func checkArgs(t *testing.T, dir string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		for i := range max(len(got), len(want)) {
			var g, w string
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Errorf("arg %d: got %q, want %q", i, g, w)
			}
		}
	}
	for i := 1; i <= 5; i++ {
		if _, err := os.Stat(filepath.Join(dir, "pwned"+string(rune('0'+i)))); err == nil {
			t.Errorf("an argument ran as a command: pwned%d exists", i)
		}
	}
}

// TestWindowsExitCode: the app's 32-bit exit code is nrun's.
func TestWindowsExitCode(t *testing.T) {
	dir := newPackage(t, map[string]string{"exit": "app exit"})
	for _, code := range []string{"42", "0", "1", "255", "256", "3221225477"} {
		_, errs, got := runNrun(t, dir, nil, "exit", code)
		if want := code; want != strconv.Itoa(got) {
			t.Errorf("app exit %s: nrun exited %d (stderr %q)", code, got, errs)
		}
	}
}

// TestWindowsAssignment: `FOO=1 app` works on Windows too; nrun applies it.
func TestWindowsAssignment(t *testing.T) {
	dir := newPackage(t, map[string]string{"env": "FOO=1 BAR=\"two words\" app report"})
	r := report(t, dir, nil, "env")
	if r.Env["FOO"] != "1" || r.Env["BAR"] != "two words" {
		t.Errorf("env = %q; want FOO=1 BAR=two words", r.Env)
	}
	if !isNrun(t, r.Parent) {
		t.Errorf("the app's parent is %q; want nrun (no cmd.exe in between)", r.Parent)
	}
}

// TestWindowsPathKey: the environment keeps the spelling of PATH it had
// (Windows' "Path", Wine's "PATH"), once, with node_modules/.bin first.
func TestWindowsPathKey(t *testing.T) {
	var spelled []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.EqualFold(k, "PATH") {
			spelled = append(spelled, k)
		}
	}
	dir := newPackage(t, map[string]string{"path": "app report"})
	r := report(t, dir, nil, "path")
	if len(r.PathKeys) != 1 || len(spelled) == 1 && r.PathKeys[0] != spelled[0] {
		t.Errorf("the app's PATH keys are %q; nrun's were %q", r.PathKeys, spelled)
	}
}

// TestWindowsArgsDirect: a program nrun starts itself gets every argument
// as typed, line breaks included: Go quotes them for CommandLineToArgvW.
func TestWindowsArgsDirect(t *testing.T) {
	dir := newPackage(t, map[string]string{"direct": "app report"})
	want := append(slices.Clone(winAwkwardArgs), "new\nline", "cr\r\nlf")
	r := report(t, dir, nil, append([]string{"direct"}, want...)...)
	checkArgs(t, dir, r.Args, want)
	if !isNrun(t, r.Parent) {
		t.Errorf("the app's parent is %q; want nrun", r.Parent)
	}
}

// TestWindowsArgsThroughCmd: a line that needs cmd.exe gets the extra
// arguments quoted as npm quotes them, and cmd runs none of them.
func TestWindowsArgsThroughCmd(t *testing.T) {
	dir := newPackage(t, map[string]string{"viacmd": "echo started>NUL && app report"})
	want := slices.Clone(winAwkwardArgs)
	if onWine() {
		// Wine's cmd.exe expands ^%VAR^% and ^!VAR^!, which npm's quoting
		// (and so nrun's) relies on real cmd.exe to leave alone.
		want = slices.DeleteFunc(want, func(a string) bool { return strings.ContainsAny(a, "%") })
		t.Log("Wine: arguments with % are left out (Wine's cmd.exe expands ^%VAR^%; Windows' does not)")
	}
	r := report(t, dir, nil, append([]string{"viacmd"}, want...)...)
	checkArgs(t, dir, r.Args, want)
	if !strings.EqualFold(r.Parent, "cmd.exe") {
		t.Errorf("the app's parent is %q; want cmd.exe for this line", r.Parent)
	}
	// A line break cannot pass through cmd.exe: nrun refuses rather than
	// let cmd cut the line there.
	_, errs, code := runNrun(t, dir, nil, "viacmd", "new\nline")
	if code != 1 || !strings.Contains(errs, "line break") {
		t.Errorf("an argument with a line break through cmd.exe: exit %d, stderr %q; want 1 and a message", code, errs)
	}
}

// TestWindowsArgsThroughBatch: a batch file that is not a cmd-shim runs
// with cmd.exe, its arguments quoted twice as npm does, as cmd reads them
// once more for %*.
func TestWindowsArgsThroughBatch(t *testing.T) {
	dir := newPackage(t, map[string]string{"batch": "wrapper"})
	writeFile(t, filepath.Join(dir, "node_modules", ".bin", "wrapper.cmd"), "@echo off\r\n\"%~dp0\\app.exe\" report %*\r\n")
	want := []string{"a b", `"&app touch pwned1`, `&app touch pwned2`, "^&|<>()", `"|app touch pwned3|"`, "--x=1"}
	r := report(t, dir, nil, append([]string{"batch"}, want...)...)
	checkArgs(t, dir, r.Args, want)
}

// npmShim is the .cmd file cmd-shim 8 (npm 11) writes for a bin whose #!
// line is `#!/usr/bin/env [-S VARS] PROG ARGS`, target relative to .bin.
func npmShim(prog, args, target string, vars ...string) string {
	head := "@ECHO off\r\nGOTO start\r\n:find_dp0\r\nSET dp0=%~dp0\r\nEXIT /b\r\n:start\r\nSETLOCAL\r\nCALL :find_dp0\r\n"
	if prog == "" {
		return head + `"%dp0%\` + target + `"   %*` + "\r\n"
	}
	for _, v := range vars {
		head += "@SET " + v + "\r\n"
	}
	return head + "\r\n" +
		`IF EXIST "%dp0%\` + prog + `.exe" (` + "\r\n" +
		`  SET "_prog=%dp0%\` + prog + `.exe"` + "\r\n" +
		") ELSE (\r\n" +
		`  SET "_prog=` + prog + `"` + "\r\n" +
		"  SET PATHEXT=%PATHEXT:;.JS;=;%\r\n" +
		")\r\n\r\n" +
		`endLocal & goto #_undefined_# 2>NUL || title %COMSPEC% & "%_prog%" ` + args + ` "%dp0%\` + target + `" %*` + "\r\n"
}

// oldNpmShim is the .cmd file of cmd-shim 2 and 3 (npm 6, yarn 1).
func oldNpmShim(prog, args, target string) string {
	return `@IF EXIST "%~dp0\` + prog + `.exe" (` + "\r\n" +
		`  "%~dp0\` + prog + `.exe" ` + args + ` "%~dp0\` + target + `" %*` + "\r\n" +
		") ELSE (\r\n" +
		"  @SETLOCAL\r\n" +
		"  @SET PATHEXT=%PATHEXT:;.JS;=;%\r\n" +
		"  " + prog + " " + args + ` "%~dp0\` + target + `" %*` + "\r\n" +
		")"
}

// TestWindowsCmdShim: a node_modules/.bin/*.cmd written by npm's cmd-shim
// is read, and its program started directly with the bin's script: the
// app's parent is nrun, not cmd.exe, and line breaks pass.
func TestWindowsCmdShim(t *testing.T) {
	dir := newPackage(t, map[string]string{
		"tool": "tool report", "old": "oldtool report", "vars": "varstool report", "native": "nativetool report",
		"path": "pathtool report", "slash": "./node_modules/.bin/tool report",
	})
	bin := filepath.Join(dir, "node_modules", ".bin")
	writeFile(t, filepath.Join(dir, "node_modules", "tool", "cli.js"), "#!/usr/bin/env app\n")
	writeFile(t, filepath.Join(bin, "tool.cmd"), npmShim("app", "", `..\tool\cli.js`))
	writeFile(t, filepath.Join(bin, "tool"), "#!/bin/sh\nexec app \"$basedir/../tool/cli.js\" \"$@\"\n")
	writeFile(t, filepath.Join(bin, "oldtool.cmd"), oldNpmShim("app", "", `..\tool\cli.js`))
	writeFile(t, filepath.Join(bin, "varstool.cmd"), npmShim("app", "--T_opt", `..\tool\cli.js`, "FOO=bar", "T_TWO=2"))
	copyFile(t, filepath.Join(bin, "app.exe"), filepath.Join(dir, "node_modules", "tool", "app-native.exe"))
	writeFile(t, filepath.Join(bin, "nativetool.cmd"), npmShim("", "", `..\tool\app-native.exe`))
	// The program is not beside the shim: it is found on PATH.
	writeFile(t, filepath.Join(bin, "pathtool.cmd"), npmShim("app", "", `..\tool\cli.js`))
	pathDir := filepath.Join(dir, "elsewhere")
	copyFile(t, filepath.Join(bin, "app.exe"), filepath.Join(pathDir, "app.exe"))

	args := append(slices.Clone(winAwkwardArgs), "new\nline")
	cli := filepath.Join(dir, "node_modules", "tool", "cli.js")
	for _, tt := range []struct {
		script, wantScript string
		wantOpts           []string
	}{
		{"tool", cli, nil},
		{"old", cli, nil},
		{"vars", cli, []string{"--T_opt"}},
		{"native", "", nil},
		{"slash", cli, nil}, // the sh shim named as a path: its .cmd is used
	} {
		t.Run(tt.script, func(t *testing.T) {
			r := report(t, dir, nil, append([]string{tt.script}, args...)...)
			if !isNrun(t, r.Parent) {
				t.Errorf("the shim's program was started by %q; want nrun (no cmd.exe)", r.Parent)
			}
			if !strings.EqualFold(filepath.Clean(r.Script), filepath.Clean(tt.wantScript)) {
				t.Errorf("script %q; want %q", r.Script, tt.wantScript)
			}
			if !slices.Equal(r.Opts, tt.wantOpts) {
				t.Errorf("the #! line's arguments: %q; want %q", r.Opts, tt.wantOpts)
			}
			checkArgs(t, dir, r.Args, args)
			if tt.script == "vars" && (r.Env["FOO"] != "bar" || r.Env["T_TWO"] != "2") {
				t.Errorf("the #! line's variables: env %q; want FOO=bar T_TWO=2", r.Env)
			}
		})
	}
	// PATH finds app when the shim's directory has none.
	if err := os.Rename(filepath.Join(bin, "app.exe"), filepath.Join(dir, "app.exe.away")); err != nil {
		t.Fatal(err)
	}
	path := os.Getenv("PATH")
	r := report(t, dir, []string{"PATH=" + pathDir + string(os.PathListSeparator) + path}, "path", "x")
	if !isNrun(t, r.Parent) || !slices.Equal(r.Args, []string{"x"}) {
		t.Errorf("shim with its program on PATH: %+v", r)
	}
}

// TestWindowsCurrentDirectory: a command named without a path is found as
// cmd.exe finds it, in the script's directory first (before PATH and its
// node_modules/.bin), with PATHEXT; a program, a plain batch file (run
// with cmd.exe) and a cmd-shim (read) alike. With
// NoDefaultCurrentDirectoryInExePath set, Windows and nrun leave the
// directory out.
func TestWindowsCurrentDirectory(t *testing.T) {
	dir := newPackage(t, map[string]string{
		"exe": "app-here report", "both": "app-both report", "batch": "localbatch", "shim": "localshim report",
		"viacmd": "echo started>NUL && app-both report",
	})
	bin := filepath.Join(dir, "node_modules", ".bin")
	self := filepath.Join(bin, "app.exe")
	copyFile(t, self, filepath.Join(dir, "app-here.exe"))
	copyFile(t, self, filepath.Join(dir, "app-both.exe"))
	copyFile(t, self, filepath.Join(bin, "app-both.exe"))
	writeFile(t, filepath.Join(dir, "localbatch.cmd"), `@"%~dp0\node_modules\.bin\app.exe" report %*`+"\r\n")
	writeFile(t, filepath.Join(dir, "node_modules", "tool", "cli.js"), "#!/usr/bin/env app\n")
	writeFile(t, filepath.Join(dir, "localshim.cmd"), npmShim("app", "", `node_modules\tool\cli.js`))

	same := func(a, b string) bool { return strings.EqualFold(filepath.Clean(a), filepath.Clean(b)) }
	if r := report(t, dir, nil, "exe", "x"); !same(r.Self, filepath.Join(dir, "app-here.exe")) || !isNrun(t, r.Parent) {
		t.Errorf("app-here: ran %q with parent %q; want the package's app-here.exe started by nrun", r.Self, r.Parent)
	}
	// The package's own copy wins over node_modules/.bin's, as in cmd.exe,
	// which the same command through cmd.exe shows.
	if r := report(t, dir, nil, "both"); !same(r.Self, filepath.Join(dir, "app-both.exe")) {
		t.Errorf("app-both: ran %q; want the package's copy, before PATH", r.Self)
	}
	if r := report(t, dir, nil, "viacmd"); !same(r.Self, filepath.Join(dir, "app-both.exe")) {
		t.Errorf("cmd.exe ran %q for app-both; want the package's copy", r.Self)
	}
	if r := report(t, dir, nil, "batch", "a b"); !slices.Equal(r.Args, []string{"a b"}) || !strings.EqualFold(r.Parent, "cmd.exe") {
		t.Errorf("localbatch.cmd: args %q, parent %q; want [a b] through cmd.exe", r.Args, r.Parent)
	}
	cli := filepath.Join(dir, "node_modules", "tool", "cli.js")
	if r := report(t, dir, nil, "shim"); !same(r.Script, cli) || !isNrun(t, r.Parent) {
		t.Errorf("localshim.cmd: script %q, parent %q; want %s started by nrun", r.Script, r.Parent, cli)
	}

	for _, script := range []string{"exe", "batch"} {
		_, errs, code := runNrun(t, dir, []string{"NoDefaultCurrentDirectoryInExePath=1"}, script)
		if code != 127 || !strings.Contains(errs, "command not found") {
			t.Errorf("%s with NoDefaultCurrentDirectoryInExePath: exit %d, stderr %q; want 127, not found", script, code, errs)
		}
	}
	// Any value counts, the empty one too: Windows asks only whether it exists.
	if r := report(t, dir, []string{"NoDefaultCurrentDirectoryInExePath="}, "both"); !same(r.Self, filepath.Join(bin, "app-both.exe")) {
		t.Errorf("app-both with NoDefaultCurrentDirectoryInExePath empty: ran %q; want node_modules/.bin's", r.Self)
	}
}

// startTree starts nrun on `app tree` and returns nrun and the tree's pids.
func startTree(t *testing.T, env []string, breakaway bool) (nrunPid int, pids map[string]int, wait func()) {
	t.Helper()
	dir := newPackage(t, map[string]string{"tree": "app tree"})
	pidfile := filepath.Join(dir, "pids")
	args := []string{"tree", pidfile}
	roles := []string{"app", "child", "grandchild"}
	if breakaway {
		args = append(args, "breakaway")
	}
	cmd := nrunCmd(t, dir, env, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	if breakaway {
		readPidsAny(t, pidfile, "daemon", "daemon-refused")
	}
	pids = readPids(t, pidfile, roles...)
	return cmd.Process.Pid, pids, func() {
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("nrun did not end")
		}
	}
}

// readPidsAny waits until file names one of the roles.
func readPidsAny(t *testing.T, file string, roles ...string) {
	t.Helper()
	named := func() bool {
		b, _ := os.ReadFile(file)
		return slices.ContainsFunc(roles, func(r string) bool { return strings.Contains(string(b), r+" ") })
	}
	if !proctest.PollFor(winTimeout, named) {
		t.Fatalf("%s names none of %v", file, roles)
	}
}

// TestWindowsKilledNrunTakesTree: nrun → app → child → detached
// grandchild; nrun is ended by TerminateProcess from another process, and
// within 2 s no process of the tree is left.
func TestWindowsKilledNrunTakesTree(t *testing.T) {
	nrunPid, pids, wait := startTree(t, nil, false)
	killPid(nrunPid)
	wait()
	wantGone(t, 2*time.Second, pids, "app", "child", "grandchild")
}

// TestWindowsRestart: --restart on an app that leaves a child and a
// detached grandchild running and fails: every run finds nothing of the
// runs before (nrun empties its Job Object between runs and waits until
// Windows lists no process in it), and nrun exits with the last status.
func TestWindowsRestart(t *testing.T) {
	dir := newPackage(t, map[string]string{"crash": "app crashtree"})
	pidfile := filepath.Join(dir, "pids")
	_, errs, code := runNrun(t, dir, nil, "--restart", "on-failure", "--restart-max", "3", "--restart-delay", "0", "crash", pidfile)
	if code != 1 {
		t.Errorf("exit %d, want the last run's 1; stderr %q", code, errs)
	}
	b, _ := os.ReadFile(pidfile)
	if n := strings.Count("\n"+string(b), "\nchild "); n != 4 {
		t.Errorf("%d runs left a child, want 4:\n%s", n, b)
	}
	if left, err := os.ReadFile(pidfile + ".left"); err == nil {
		t.Errorf("a run started while processes of the runs before were left:\n%s", left)
	}
}

// TestWindowsWatch: --watch on an app that leaves a child and a detached
// grandchild and runs on: each edit ends the run, and the next run finds
// nothing of the runs before.
func TestWindowsWatch(t *testing.T) {
	dir := newPackage(t, map[string]string{"serve": "app crashtree"})
	pidfile := filepath.Join(dir, ".t", "pids") // a dot-directory: not watched
	if err := os.MkdirAll(filepath.Dir(pidfile), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := nrunCmd(t, dir, nil, "--watch", "--watch-delay", "50ms", "serve", pidfile, "stay")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer killPid(cmd.Process.Pid)
	runs := func() int {
		b, _ := os.ReadFile(pidfile)
		return strings.Count("\n"+string(b), "\nchild ")
	}
	for run := 1; run <= 3; run++ {
		if run > 1 {
			writeFile(t, filepath.Join(dir, "server.js"), strconv.Itoa(run))
		}
		proctest.PollFor(winTimeout, func() bool { return runs() >= run })
		if n := runs(); n != run {
			t.Fatalf("%d runs after %d edits, want %d", n, run-1, run)
		}
	}
	if left, err := os.ReadFile(pidfile + ".left"); err == nil {
		t.Errorf("a run started while processes of the runs before were left:\n%s", left)
	}
}

// TestWindowsNestedJob: the same when nrun itself starts inside a job.
func TestWindowsNestedJob(t *testing.T) {
	dir := newPackage(t, map[string]string{"tree": "app tree"})
	self, _ := os.Executable()
	injob := filepath.Join(dir, "injob.exe")
	copyFile(t, self, injob)
	pidfile := filepath.Join(dir, "pids")
	launcher := nrunCmd(t, dir, nil)
	launcher.Path, launcher.Args = injob, []string{injob, pidfile, nrunExe(t), "tree", pidfile}
	if err := launcher.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = launcher.Wait(); close(done) }()
	pids := readPids(t, pidfile, "nrun", "app", "child", "grandchild")
	killPid(pids["nrun"])
	wantGone(t, 2*time.Second, pids, "nrun", "app", "child", "grandchild")
	select {
	case <-done: // the launcher, in the outer job, saw nrun end and ended
	case <-time.After(5 * time.Second):
		killPid(launcher.Process.Pid)
		t.Error("the launcher in the outer job did not see nrun end")
	}
}

// TestWindowsBreakaway: only with NRUN_ALLOW_BREAKAWAY can the script
// start a daemon with CREATE_BREAKAWAY_FROM_JOB, and that daemon alone
// outlives nrun.
func TestWindowsBreakaway(t *testing.T) {
	t.Run("refused", func(t *testing.T) {
		nrunPid, pids, wait := startTree(t, nil, true)
		if d, ok := pids["daemon"]; ok {
			killPid(d)
			t.Errorf("a child left nrun's job without NRUN_ALLOW_BREAKAWAY")
		}
		killPid(nrunPid)
		wait()
		wantGone(t, 2*time.Second, pids, "app", "child", "grandchild")
	})
	t.Run("allowed", func(t *testing.T) {
		nrunPid, pids, wait := startTree(t, []string{"NRUN_ALLOW_BREAKAWAY=1"}, true)
		d, ok := pids["daemon"]
		if !ok {
			t.Fatal("CREATE_BREAKAWAY_FROM_JOB was refused with NRUN_ALLOW_BREAKAWAY=1")
		}
		defer killPid(d)
		killPid(nrunPid)
		wait()
		// The job killed the rest at once when it closed: the daemon,
		// outside it, must be running now.
		wantGone(t, 2*time.Second, pids, "app", "child", "grandchild")
		if !running(d) {
			t.Error("the daemon that broke away died with nrun")
		}
	})
}

// TestWindowsCtrlC: Ctrl-C reaches the app from the console; nrun survives
// it, waits for the app's own handling, exits with its code, and runs no
// post hook. It needs a console: scripts/wine-test.sh runs it in a pty.
func TestWindowsCtrlC(t *testing.T) {
	var mode uint32
	if err := windows.GetConsoleMode(windows.Handle(os.Stdin.Fd()), &mode); err != nil {
		t.Skip("SKIP: no console to send Ctrl-C to (run under a terminal; scripts/wine-test.sh uses script(1) for a pty)")
	}
	dir := newPackage(t, map[string]string{"c": "app ctrlc", "postc": "app touch post-ran"})
	ready, log := filepath.Join(dir, "ready"), filepath.Join(dir, "log")
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt) // this process is on the console too
	defer signal.Stop(sigs)
	cmd := nrunCmd(t, dir, nil, "-s", "c", ready, log, "0")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if !proctest.PollFor(winTimeout, func() bool { _, err := os.Stat(ready); return err == nil }) {
		_ = cmd.Process.Kill()
		t.Fatal("the app never got ready")
	}
	if err := windows.GenerateConsoleCtrlEvent(windows.CTRL_C_EVENT, 0); err != nil {
		_ = cmd.Process.Kill()
		t.Skipf("SKIP: GenerateConsoleCtrlEvent: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("nrun did not end after Ctrl-C")
	}
	b, _ := os.ReadFile(log)
	if string(b) != "got\ndone\n" {
		t.Errorf("the app's log when nrun ended: %q; want its handler finished (got, done)", b)
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("nrun exited %d; want the app's 0", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "post-ran")); err == nil {
		t.Error("the post hook ran after Ctrl-C")
	}
}

// TestWindowsCmdLines: lines that mean one thing to sh and another to
// cmd.exe run as npm runs them on Windows, with cmd.exe — when cmd/nrun
// plans lines with shell.NewCmd on Windows; with shell.New (sh's reading
// everywhere) the test says so and stops.
func TestWindowsCmdLines(t *testing.T) {
	dir := newPackage(t, map[string]string{
		"backslash": `app report .\dir\file`,
		"quotes":    `app report 'single'`,
		"builtin":   `mkdir made && app report`,
	})
	r := report(t, dir, nil, "backslash")
	if slices.Equal(r.Args, []string{".dirfile"}) {
		t.Skip(`SKIP: cmd/nrun plans script lines with shell.New on Windows (a backslash is an escape there); wire shell.NewCmd for cmd.exe`)
	}
	if !slices.Equal(r.Args, []string{`.\dir\file`}) {
		t.Errorf(`app report .\dir\file: args %q`, r.Args)
	}
	if r := report(t, dir, nil, "quotes"); !slices.Equal(r.Args, []string{"'single'"}) {
		t.Errorf("app report 'single': args %q; cmd.exe keeps the quotes", r.Args)
	}
	if r := report(t, dir, nil, "builtin", "x y"); !slices.Equal(r.Args, []string{"x y"}) {
		t.Errorf("mkdir made && app report: args %q", r.Args)
	}
	if fi, err := os.Stat(filepath.Join(dir, "made")); err != nil || !fi.IsDir() {
		t.Error("cmd.exe's mkdir did not run")
	}
}
