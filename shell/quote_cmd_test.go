package shell

import (
	"slices"
	"strings"
	"testing"
)

// TestQuoteCmdMatchesNpm compares QuoteCmd with the output of npm's own
// escape.cmd (@npmcli/promise-spawn 8, npm 11), recorded with node.
func TestQuoteCmdMatchesNpm(t *testing.T) {
	tests := []struct{ in, exe, batch string }{
		{"a b", `^"a^ b^"`, `^^^"a^^^ b^^^"`},
		{"", `""`, `""`},
		{"$HOME", "$HOME", "$HOME"},
		{"`id`", "`id`", "`id`"},
		{"$(id)", "$^(id^)", "$^^^(id^^^)"},
		{`"quoted"`, `^"\^"quoted\^"^"`, `^^^"\^^^"quoted\^^^"^^^"`},
		{"it's", "it's", "it's"},
		{"*.json", "*.json", "*.json"},
		{`back\slash\\`, `back\slash\\`, `back\slash\\`},
		{"!", "^!", "^^^!"},
		{"%PATH%", "^%PATH^%", "^^^%PATH^^^%"},
		{"^&|<>()", "^^^&^|^<^>^(^)", "^^^^^^^&^^^|^^^<^^^>^^^(^^^)"},
		{"--flag", "--flag", "--flag"},
		{"ünï©ødé ✓", `^"ünï©ødé^ ✓^"`, `^^^"ünï©ødé^^^ ✓^^^"`},
		{"  lead and trail  ", `^"^ ^ lead^ and^ trail^ ^ ^"`, `^^^"^^^ ^^^ lead^^^ and^^^ trail^^^ ^^^ ^^^"`},
		{"a=b", "a=b", "a=b"},
		{"{a,b}", "{a,b}", "{a,b}"},
		{"\t", "^\"\t^\"", "^^^\"\t^^^\""},
		{`"&calc`, `^"\^"^&calc^"`, `^^^"\^^^"^^^&calc^^^"`},
		{`a\"b`, `^"a\\\^"b^"`, `^^^"a\\\^^^"b^^^"`},
		{`x\`, `x\`, `x\`},
		{`a b\`, `^"a^ b\\^"`, `^^^"a^^^ b\\^^^"`},
	}
	for _, tt := range tests {
		if got := QuoteCmd(tt.in, false); got != tt.exe {
			t.Errorf("QuoteCmd(%q, false) = %s, npm gives %s", tt.in, got, tt.exe)
		}
		if got := QuoteCmd(tt.in, true); got != tt.batch {
			t.Errorf("QuoteCmd(%q, true) = %s, npm gives %s", tt.in, got, tt.batch)
		}
	}
}

// TestQuoteCmdNeverBare proves that no cmd.exe metacharacter of an argument
// is left without its caret, and that none can close or open a quote.
func TestQuoteCmdNeverBare(t *testing.T) {
	for _, a := range append(slices.Clone(awkwardArgs), `"&calc`, `a"&b"c`, `\"&whoami`, `^`, `%%`, `x"`) {
		if !CmdSafeArg(a) {
			continue
		}
		q := QuoteCmd(a, false)
		for i := 0; i < len(q); i++ {
			if strings.IndexByte(` !%^&()<>|"`, q[i]) < 0 || q == `""` {
				continue
			}
			if q[i] != '^' || i+1 == len(q) {
				t.Errorf("QuoteCmd(%q) = %s: %q at %d has no caret", a, q, q[i], i)
				break
			}
			i++ // the escaped character
		}
	}
	if CmdSafeArg("new\nline") || CmdSafeArg("cr\r") || !CmdSafeArg("tab\t") {
		t.Error("CmdSafeArg must refuse line breaks and only them")
	}
}

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

// TestExtraArgs recovers the extra arguments from every Shell line New and
// NewCmd plan, with exec inserted or not.
func TestExtraArgs(t *testing.T) {
	lines := []string{
		"echo hi", "a | b", "node x.js > log", "a; b", "a && b | c", "FOO=1 cmd && b > c",
		"node server.js > out", "exec exec", "echo exec x", `dir C:\x`, "del /q dist && tsc",
		"a 'exec b'", "x | exec y", "",
	}
	argsets := [][]string{nil, {}, awkwardArgs, {"exec", "x"}, {"exec"}, {"'"}, {"it's", "a'b'c"}, {""}, {"exec b"}}
	for _, line := range lines {
		for _, args := range argsets {
			for _, p := range []Plan{New(line, args, testEnv, testScripts), NewCmd(line, args, testEnv, testScripts)} {
				if len(p.Cmds) != 1 || p.Cmds[0].Kind != Shell {
					continue
				}
				got, ok := ExtraArgs(line, p.Cmds[0].Line)
				if !ok || !slices.Equal(got, args) && !(len(args) == 0 && len(got) == 0) {
					t.Errorf("ExtraArgs(%q, %q) = %q, %v; want %q", line, p.Cmds[0].Line, got, ok, args)
				}
			}
		}
	}
	for _, bad := range [][2]string{
		{"echo hi", "echo hello"},
		{"echo hi", "echo hi x'"},
		{"echo hi", "echo hi  x"},
		{"echo hi", "echo hi 'a b' c d'"},
		{"echo hi", "echo hi 'a'b"},
		{"echo hi", "echo hi 'x'"}, // Quote leaves x bare
		{"echo hi", "echo hi "},
	} {
		if got, ok := ExtraArgs(bad[0], bad[1]); ok {
			t.Errorf("ExtraArgs(%q, %q) = %q, want not ok", bad[0], bad[1], got)
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
		if len(p.Cmds) != 1 || p.Cmds[0].Kind != Shell || p.Cmds[0].Line != AppendArgs(line, []string{"x y"}) {
			t.Errorf("NewCmd(%q) = %s; want the line for cmd.exe", line, describe(p))
		}
	}
	// Arguments never make a line go to cmd.exe, and arrive as typed.
	p := NewCmd("node x.js", awkwardArgs, testEnv, testScripts)
	if want := append([]string{"node", "x.js"}, awkwardArgs...); len(p.Cmds) != 1 || !slices.Equal(p.Cmds[0].Argv, want) {
		t.Errorf("awkward args: %s", describe(p))
	}
}
