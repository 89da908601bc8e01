package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

const manPage = "../../docs/nrun.1"

// manOptionName is an option as the man page's OPTIONS items spell it,
// after roff's escapes are taken out.
var manOptionName = regexp.MustCompile(`(?:^|[\s,])(--?[a-zA-Z][a-zA-Z-]*)`)

// manOptions returns the option names of the OPTIONS section's items: the
// line after each .TP, with roff's font and hyphen escapes removed.
func manOptions(t *testing.T, page string) []string {
	t.Helper()
	fonts := strings.NewReplacer(`\-`, "-", `\fB`, "", `\fI`, "", `\fR`, "", `\fP`, "", `\%`, "", `"`, "")
	var names []string
	in, item := false, false
	for _, line := range strings.Split(page, "\n") {
		switch {
		case strings.HasPrefix(line, ".SH "):
			in = line == ".SH OPTIONS"
		case in && line == ".TP":
			item = true
		case in && item:
			item = false
			_, tag, _ := strings.Cut(line, " ") // drop the font macro
			for _, m := range manOptionName.FindAllStringSubmatch(fonts.Replace(tag), -1) {
				names = append(names, m[1])
			}
		}
	}
	if len(names) == 0 {
		t.Fatal("docs/nrun.1 has no OPTIONS items")
	}
	return names
}

// TestManPage: every visible option of nrun's command line, under each of
// its names, has an item in the man page's OPTIONS section, and every item
// there is an option nrun has, so the page cannot drift from the code.
func TestManPage(t *testing.T) {
	data, err := os.ReadFile(manPage)
	if err != nil {
		t.Fatal(err)
	}
	documented := manOptions(t, string(data))
	app := newApp(func(*config) error { return nil })
	app.Setup() // adds -h, --help
	var real []string
	for _, f := range app.Flags {
		if v, ok := f.(cli.VisibleFlag); ok && !v.IsVisible() {
			continue
		}
		for _, name := range f.Names() {
			// Go's flag parsing takes -name and --name alike; the page
			// writes short aliases as npm does (-ws, -iwr).
			spellings := []string{"-" + name}
			if len(name) > 1 {
				spellings = append(spellings, "--"+name)
			}
			if !slices.ContainsFunc(spellings, func(s string) bool { return slices.Contains(documented, s) }) {
				t.Errorf("docs/nrun.1 OPTIONS: no item for %s", spellings[len(spellings)-1])
			}
			real = append(real, spellings...)
		}
	}
	for _, name := range documented {
		if !slices.Contains(real, name) {
			t.Errorf("docs/nrun.1 OPTIONS: %s is not an option of nrun", name)
		}
	}
	for _, section := range []string{"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "SIGNALS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"} {
		if !bytes.Contains(data, []byte("\n.SH "+section+"\n")) {
			t.Errorf("docs/nrun.1 lacks the section %s", section)
		}
	}
}

// TestManPageRenders: man(1) formats the page with every groff warning on
// and has nothing to say.
func TestManPageRenders(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SKIP: no man(1) on Windows")
	}
	man, err := exec.LookPath("man")
	if err != nil {
		t.Skip("SKIP: man is not installed (apt-get install man-db groff-base); the page was not rendered")
	}
	page, err := filepath.Abs(manPage)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(man, "--warnings", "-l", page)
	cmd.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=80", "LC_ALL=C.UTF-8")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("man --warnings -l docs/nrun.1: %v\n%s", err, stderr.String())
	}
	if !bytes.Contains(out, []byte("EXIT STATUS")) {
		t.Errorf("man rendered no EXIT STATUS section:\n%s", out)
	}
}
