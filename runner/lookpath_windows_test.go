package runner

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWindowsLookCommand: cmd.exe's order. The directory first, then
// PATH; in each, a name with an extension as it is, then with PATHEXT's
// extensions in PATHEXT's order; NoDefaultCurrentDirectoryInExePath (any
// spelling of the name, any value) leaves the directory out.
func TestWindowsLookCommand(t *testing.T) {
	t.Setenv("PATHEXT", ".COM;.EXE;.BAT;.CMD")
	root, err := os.MkdirTemp(testRoot, "lookcommand")
	if err != nil {
		t.Fatal(err)
	}
	dir, onPath := filepath.Join(root, "pkg;semi"), filepath.Join(root, "bin")
	for _, f := range []string{
		filepath.Join(dir, "tool.cmd"), filepath.Join(dir, "tool.bat"), filepath.Join(dir, "run.js"),
		filepath.Join(onPath, "tool.exe"), filepath.Join(onPath, "other.cmd"), filepath.Join(onPath, "run.js.cmd"),
	} {
		writeFile(t, f, "")
	}
	env := func(kv ...string) Env { return NewEnv(append([]string{"Path=" + onPath}, kv...)) }
	for _, tt := range []struct {
		name string
		env  Env
		want string // "" for not found
	}{
		{"tool", env(), filepath.Join(dir, "tool.bat")}, // the directory before PATH; .BAT before .CMD
		{"tool.cmd", env(), filepath.Join(dir, "tool.cmd")},
		{"other", env(), filepath.Join(onPath, "other.cmd")},
		{"run.js", env(), filepath.Join(dir, "run.js")}, // an existing file with an extension, as it is
		{"tool", env("NoDefaultCurrentDirectoryInExePath=1"), filepath.Join(onPath, "tool.exe")},
		{"tool", env("nodefaultcurrentdirectoryinexepath="), filepath.Join(onPath, "tool.exe")},
		{"run.js", env("NoDefaultCurrentDirectoryInExePath=0"), filepath.Join(onPath, "run.js.cmd")},
		{"nope", env(), ""},
	} {
		got, err := lookCommand(tt.name, tt.env, dir)
		switch {
		case tt.want == "" && !errors.Is(err, ErrNotFound):
			t.Errorf("lookCommand(%q, %q) = %q, %v; want not found", tt.name, tt.env.List(), got, err)
		case tt.want != "" && (err != nil || !strings.EqualFold(got, tt.want)):
			t.Errorf("lookCommand(%q, %q) = %q, %v; want %q", tt.name, tt.env.List(), got, err, tt.want)
		}
	}
	if got := candidates(`C:\x\tool`); !slices.Equal(got, []string{`C:\x\tool.com`, `C:\x\tool.exe`, `C:\x\tool.bat`, `C:\x\tool.cmd`}) {
		t.Errorf("candidates without an extension: %q", got)
	}
}
