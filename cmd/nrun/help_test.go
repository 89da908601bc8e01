package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestHelp: `nrun --help` fits 80 columns, names every option of the
// table under a heading, shows no default that says nothing, and is what
// the parser prints.
func TestHelp(t *testing.T) {
	var out strings.Builder
	app := newApp(nil)
	app.Writer = &out
	if err := app.Run([]string{"nrun", "--help"}); err != nil {
		t.Fatal(err)
	}
	help := out.String()
	for _, line := range strings.Split(help, "\n") {
		if len(line) > helpWidth {
			t.Errorf("longer than %d columns: %q", helpWidth, line)
		}
	}
	words := strings.FieldsFunc(help, func(r rune) bool { return r == ' ' || r == ',' || r == '\n' })
	for _, o := range options {
		if shown := slices.Contains(words, dashes(o.name)); shown == o.hidden {
			t.Errorf("%s: hidden is %v, shown is %v", dashes(o.name), o.hidden, shown)
		}
	}
	for _, bad := range []string{"(default: false)", "GLOBAL OPTIONS", "value"} {
		if strings.Contains(help, bad) {
			t.Errorf("the help says %q", bad)
		}
	}
	if !strings.Contains(help, "(default 10s)") || !strings.Contains(help, "Examples:") {
		t.Errorf("no real default or no examples:\n%s", help)
	}
}

// TestDocsNameEveryOption: docs/usage.md's option table names every
// option of the table, so the reference cannot fall behind the code.
func TestDocsNameEveryOption(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "usage.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range options {
		if !o.hidden && !strings.Contains(string(doc), "`"+dashes(o.name)) && !strings.Contains(string(doc), " "+dashes(o.name)) {
			t.Errorf("docs/usage.md does not name %s", dashes(o.name))
		}
	}
}
