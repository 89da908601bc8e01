package quote

import (
	"slices"
	"strings"
	"testing"
)

// awkward are arguments every quoting must pass through as typed.
var awkward = []string{
	"a b", "", "$HOME", "`id`", "$(id)", `"quoted"`, "it's", "*.json",
	`back\slash\\`, "!", "%PATH%", "^&|<>()", "--flag", "-h",
	"ünï©ødé ✓", "  lead and trail  ", "a=b", "~", "#hash", "if", "{a,b}", "\t",
	"new\nline",
}

// TestQuoteCmdMatchesNpm compares QuoteCmd with the output of npm's own
// escape.cmd (@npmcli/promise-spawn 8, npm 11), recorded with node.
func TestCmdMatchesNpm(t *testing.T) {
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
		if got := Cmd(tt.in, false); got != tt.exe {
			t.Errorf("Cmd(%q, false) = %s, npm gives %s", tt.in, got, tt.exe)
		}
		if got := Cmd(tt.in, true); got != tt.batch {
			t.Errorf("Cmd(%q, true) = %s, npm gives %s", tt.in, got, tt.batch)
		}
	}
}

// TestCmdNeverBare proves that no cmd.exe metacharacter of an argument
// is left without its caret, and that none can close or open a quote.
func TestCmdNeverBare(t *testing.T) {
	for _, a := range append(slices.Clone(awkward), `"&calc`, `a"&b"c`, `\"&whoami`, `^`, `%%`, `x"`) {
		if !CmdSafe(a) {
			continue
		}
		q := Cmd(a, false)
		for i := 0; i < len(q); i++ {
			if strings.IndexByte(` !%^&()<>|"`, q[i]) < 0 || q == `""` {
				continue
			}
			if q[i] != '^' || i+1 == len(q) {
				t.Errorf("Cmd(%q) = %s: %q at %d has no caret", a, q, q[i], i)
				break
			}
			i++ // the escaped character
		}
	}
	if CmdSafe("new\nline") || CmdSafe("cr\r") || !CmdSafe("tab\t") {
		t.Error("CmdSafeArg must refuse line breaks and only them")
	}
}
