package runner

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/nrunjs/nrun/shell"
)

// TestWindowsParseCmdShim reads the shims npm's cmd-shim writes (the
// texts are the generator's own output, from cmd-shim 8 and 3) and
// refuses every batch file that is not one.
func TestWindowsParseCmdShim(t *testing.T) {
	dir := `C:\pkg\node_modules\.bin`
	cli := `C:\pkg\node_modules\tool\bin\cli.js`
	tests := []struct {
		name, text string
		want       cmdShim
	}{
		{"cmd-shim 8, node", npmShim("node", "", `..\tool\bin\cli.js`),
			cmdShim{progs: []string{dir + `\node.exe`, "node"}, target: cli}},
		{"cmd-shim 8, env -S", npmShim("node", "--no-warnings", `..\tool\bin\cli.js`, "FOO=bar", "NODE_OPTIONS=--x"),
			cmdShim{progs: []string{dir + `\node.exe`, "node"}, args: []string{"--no-warnings"}, target: cli, vars: []string{"FOO=bar", "NODE_OPTIONS=--x"}}},
		{"cmd-shim 8, a program", npmShim("", "", `..\tool\bin\native.exe`),
			cmdShim{progs: []string{`C:\pkg\node_modules\tool\bin\native.exe`}}},
		{"cmd-shim 3", oldNpmShim("node", "", `..\tool\bin\cli.js`),
			cmdShim{progs: []string{dir + `\node.exe`, "node"}, target: cli}},
		{"cmd-shim 4", "@ECHO off\r\nSETLOCAL\r\nCALL :find_dp0\r\n\r\nIF EXIST \"%dp0%\\node.exe\" (\r\n  SET \"_prog=%dp0%\\node.exe\"\r\n) ELSE (\r\n  SET \"_prog=node\"\r\n  SET PATHEXT=%PATHEXT:;.JS;=;%\r\n)\r\n\r\n\"%_prog%\"  \"%dp0%\\..\\tool\\bin\\cli.js\" %*\r\nENDLOCAL\r\nEXIT /b %errorlevel%\r\n:find_dp0\r\nSET dp0=%~dp0\r\nEXIT /b\r\n",
			cmdShim{progs: []string{dir + `\node.exe`, "node"}, target: cli}},
	}
	for _, tt := range tests {
		got, ok := parseCmdShim(tt.text, dir)
		if !ok || !slices.Equal(got.progs, tt.want.progs) || !slices.Equal(got.args, tt.want.args) ||
			got.target != tt.want.target || !slices.Equal(got.vars, tt.want.vars) {
			t.Errorf("%s: got %+v, %v; want %+v", tt.name, got, ok, tt.want)
		}
	}
	notShims := map[string]string{
		"a batch file": "@echo off\r\nnode %~dp0\\x.js %*\r\n",
		"pnpm's shim": "@SETLOCAL\r\n@IF NOT DEFINED NODE_PATH (\r\n  @SET \"NODE_PATH=C:\\x\"\r\n) ELSE (\r\n  @SET \"NODE_PATH=C:\\x;%NODE_PATH%\"\r\n)\r\n" +
			"@IF EXIST \"%~dp0\\node.exe\" (\r\n  \"%~dp0\\node.exe\"  \"%~dp0\\..\\tool\\cli.js\" %*\r\n) ELSE (\r\n  @SET PATHEXT=%PATHEXT:;.JS;=;%\r\n  node  \"%~dp0\\..\\tool\\cli.js\" %*\r\n)\r\n",
		"an extra command":       npmShim("node", "", `..\tool\bin\cli.js`) + "del /q C:\\x\r\n",
		"a redirection":          strings.Replace(npmShim("node", "", `..\tool\bin\cli.js`), `" %*`, `" %* > log`, 1),
		"a variable in the args": npmShim("node", "--x=%FOO%", `..\tool\bin\cli.js`),
		"a variable in a SET":    npmShim("node", "", `..\tool\bin\cli.js`, "FOO=%BAR%"),
		"no target":              "@ECHO off\r\nnode %*\r\n",
		"an absolute target":     "@\"C:\\x\\node.exe\" \"C:\\x\\cli.js\" %*\r\n",
		"empty":                  "",
	}
	for name, text := range notShims {
		if got, ok := parseCmdShim(text, dir); ok {
			t.Errorf("%s: read as a shim: %+v", name, got)
		}
	}
}

// TestWindowsCmdScriptLine: a shell line becomes npm's cmd.exe line: the
// script line as written, then the extra arguments quoted for cmd, twice
// for a batch file (found as npm finds the line's first word).
func TestWindowsCmdScriptLine(t *testing.T) {
	dir, err := os.MkdirTemp(testRoot, "cmdline")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bin")
	writeFile(t, filepath.Join(bin, "tool.cmd"), "@echo off\r\n")
	writeFile(t, filepath.Join(bin, "prog.exe"), "MZ")
	env := NewEnv([]string{"Path=" + bin})
	tests := []struct {
		line string
		args []string
		want string
	}{
		{"echo hi", nil, "echo hi"},
		{"prog > log", []string{"a b", `"&calc`}, `prog > log ^"a^ b^" ^"\^"^&calc^"`},
		{"tool | more", []string{"a b"}, `tool | more ^^^"a^^^ b^^^"`},
		{"echo %PATH% && prog", []string{"%x%"}, `echo %PATH% && prog ^%x^%`},
		{"a; b", []string{"it's"}, "a; b it's"},
		{"dir", []string{"exec"}, "dir exec"},
	}
	for _, tt := range tests {
		c := shell.NewCmd(tt.line, tt.args, env.Lookup, nil).Cmds[0]
		argv, err := shellArgv(`C:\Windows\system32\cmd.exe`, c, env, dir)
		if err != nil || len(argv) != 5 || argv[4] != tt.want {
			t.Errorf("shellArgv for %q %q = %q, %v; want %q", tt.line, tt.args, argv, err, tt.want)
		}
	}
	c := shell.NewCmd("echo", []string{"a\nb"}, env.Lookup, nil).Cmds[0]
	if _, err := shellArgv("cmd.exe", c, env, dir); err == nil {
		t.Error("a line break went to cmd.exe")
	}
	if got := cmdExeLine(`C:\Windows\system32\cmd.exe`, "a && b"); got != `C:\Windows\system32\cmd.exe /d /s /c "a && b"` {
		t.Errorf("cmdExeLine = %s", got)
	}
}

// TestWindowsJobLimits: nrun's job kills on close, allows breakaway only
// when asked, never silently, and its handle is not inheritable.
func TestWindowsJobLimits(t *testing.T) {
	getHandleInformation := windows.NewLazySystemDLL("kernel32.dll").NewProc("GetHandleInformation")
	for _, breakaway := range []bool{false, true} {
		h, err := newJob(breakaway)
		if err != nil {
			t.Fatal(err)
		}
		var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
		if err := windows.QueryInformationJobObject(h, windows.JobObjectExtendedLimitInformation,
			uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)), nil); err != nil {
			t.Fatal(err)
		}
		want := uint32(windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE)
		if breakaway {
			want |= windows.JOB_OBJECT_LIMIT_BREAKAWAY_OK
		}
		switch got := info.BasicLimitInformation.LimitFlags; {
		case got == 0 && onWine():
			// The e2e tests show the limits at work under Wine.
			t.Log("Wine 8's QueryInformationJobObject reports no limits: the flags are checked on Windows only")
		case got != want:
			t.Errorf("breakaway=%v: limit flags %#x; want %#x", breakaway, got, want)
		}
		var flags uint32
		if r, _, err := getHandleInformation.Call(uintptr(h), uintptr(unsafe.Pointer(&flags))); r == 0 {
			t.Errorf("GetHandleInformation: %v", err)
		} else if flags&windows.HANDLE_FLAG_INHERIT != 0 {
			t.Error("the job's handle is inheritable")
		}
		windows.CloseHandle(h)
	}
}

// TestWindowsNpmEnvPath: NpmEnv keeps the inherited spelling of PATH and
// never makes a second key.
func TestWindowsNpmEnvPath(t *testing.T) {
	for _, key := range []string{"Path", "PATH", "path"} {
		env := NpmEnv([]string{"A=1", key + `=C:\Windows`, "B=2"}, Package{Dir: `C:\pkg`, JSON: `C:\pkg\package.json`, BinDirs: []string{`C:\pkg\node_modules\.bin`}}, `C:\pkg`)
		var keys []string
		for _, kv := range env.List() {
			if k, _, _ := strings.Cut(kv, "="); strings.EqualFold(k, "PATH") {
				keys = append(keys, k)
			}
		}
		if !slices.Equal(keys, []string{key}) {
			t.Errorf("inherited %s: keys %q", key, keys)
		}
		if p := env.Get("PATH"); !strings.HasPrefix(p, `C:\pkg\node_modules\.bin;`) || !strings.HasSuffix(p, `;C:\Windows`) {
			t.Errorf("inherited %s: PATH=%s", key, p)
		}
		env.SetPair("PATH=x") // the line's own PATH=... keeps the spelling too
		if env.Get("Path") != "x" || strings.Count(strings.ToUpper(strings.Join(env.List(), "\n")), "\nPATH=") > 1 {
			t.Errorf("PATH=x: %q", env.List())
		}
	}
}
