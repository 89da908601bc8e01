package shell

import (
	"slices"
	"testing"
)

func TestFirstCmdWord(t *testing.T) {
	for line, want := range map[string]string{
		"tsc --watch":           "tsc",
		`"my tool" x`:           `"my tool"`,
		"node":                  "node",
		`"C:\a b\x.cmd" "y z"`:  `"C:\a b\x.cmd"`,
		"a'b c' d":              "a'b c'",
		" lead":                 "",
		`node -e "a b" && tool`: "node",
	} {
		if got := FirstCmdWord(line); got != want {
			t.Errorf("FirstCmdWord(%q) = %q, want %q", line, got, want)
		}
	}
}

// TestNewCmd: nrun starts a line's programs itself on Windows only where
// sh and cmd.exe read it alike; the rest goes to cmd.exe whole, never with
// exec inserted.
func TestNewCmd(t *testing.T) {
	direct := []string{
		"node server.js",
		"FOO=1 node x.js",
		"tsc --watch && node dist/index.js",
		`node -e "console.log(1)"`,
		`eslint --ext .js,.ts "src dir"`,
		"a || b",
		"true",
		"cross-env NODE_ENV=production webpack",
	}
	shellLines := []string{
		`node .\scripts\build.js`,
		"node -e 'console.log(1)'",
		"echo %PATH%",
		"node $HOME/x",
		"a; b",
		"a ^& b",
		"node x!",
		`node "a""b"`,
		"del /q dist && tsc",
		"mkdir dist",
		"cd.. && node x",
		"echo. hi",
		"@node x",
		"a | b",
		"a > log",
		"node ~/x",
		"a\nb",
		"echo hi",
	}
	for _, line := range direct {
		p := NewCmd(line, []string{"x y"}, testEnv, testScripts)
		if p.Cmds[0].Kind == Shell {
			t.Errorf("NewCmd(%q) goes to cmd.exe; want direct", line)
		}
	}
	for _, line := range shellLines {
		p := NewCmd(line, []string{"x y"}, testEnv, testScripts)
		if len(p.Cmds) != 1 || p.Cmds[0].Kind != Shell || p.Cmds[0].Line != line || !slices.Equal(p.Cmds[0].Args, []string{"x y"}) || p.Cmds[0].ExecAt >= 0 {
			t.Errorf("NewCmd(%q) = %s; want the line for cmd.exe", line, describe(p))
		}
	}
	// Arguments never make a line go to cmd.exe, and arrive as typed.
	p := NewCmd("node x.js", awkwardArgs, testEnv, testScripts)
	if want := append([]string{"node", "x.js"}, awkwardArgs...); len(p.Cmds) != 1 || !slices.Equal(p.Cmds[0].Argv, want) {
		t.Errorf("awkward args: %s", describe(p))
	}
}
