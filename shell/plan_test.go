package shell

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// awkwardArgs are arguments that must arrive byte for byte whatever the line.
var awkwardArgs = []string{
	"a b", "", "$HOME", "`id`", "$(id)", `"quoted"`, "it's", "*.json",
	`back\slash\\`, "!", "%PATH%", "^&|<>()", "new\nline", "--flag", "-h",
	"ünï©ødé ✓", "  lead and trail  ", "a=b", "~", "#hash", "if", "{a,b}", "\t",
}

func TestPlanDirect(t *testing.T) {
	tests := []struct {
		line string
		env  []string
		argv []string
	}{
		{"node server.js", nil, []string{"node", "server.js"}},
		{"  node   server.js  ", nil, []string{"node", "server.js"}},
		{"NODE_ENV=production node --max-old-space-size=4096 server.js", []string{"NODE_ENV=production"}, []string{"node", "--max-old-space-size=4096", "server.js"}},
		{`A=1 B="two words" x`, []string{"A=1", "B=two words"}, []string{"x"}},
		{`jest --testPathPattern 'src/(a|b)'`, nil, []string{"jest", "--testPathPattern", "src/(a|b)"}},
		{`eslint "src/**/*.ts"`, nil, []string{"eslint", "src/**/*.ts"}},
		{`x "a\"b" "c\d" 'e\f' g\ h`, nil, []string{"x", `a"b`, `c\d`, `e\f`, "g h"}},
		{`x a#b d~ --x=~/y`, nil, []string{"x", "a#b", "d~", "--x=~/y"}},
		{`"if" x`, nil, []string{"if", "x"}},
		{`x ''`, nil, []string{"x", ""}},
		{"x 'new\nline'", nil, []string{"x", "new\nline"}},
		{"x a\rb", nil, []string{"x", "a\rb"}},
		{`"FOO"=1 x`, nil, []string{"FOO=1", "x"}},
		{`./node_modules/.bin/tsc -p .`, nil, []string{"./node_modules/.bin/tsc", "-p", "."}},
	}
	for _, tt := range tests {
		step := Plan(tt.line, nil)
		if step.Kind != Direct || !slices.Equal(step.Env, tt.env) || !slices.Equal(step.Argv, tt.argv) {
			t.Errorf("Plan(%q) = %+v, want direct env %q argv %q", tt.line, step, tt.env, tt.argv)
		}
	}
}

func TestPlanShell(t *testing.T) {
	lines := []string{
		"", "   ", "FOO=bar", "echo hi", "a && b", "a || b", "a; b", "a | b", "a &",
		"a > out", "a 2>&1", "a < in", "(a)", "{ a; }", "a $HOME", "a ${X}", "a `b`",
		`a "$X"`, "a *.js", "a ?", "a [ab]", "a {a,b}", "a ~", "a ~/x", "A=~/x b", "a c=~",
		"a # comment", "#a", "a\nb", "a \\\nb", "a 'unterminated", `a "unterminated`,
		`a \`, "if true; then a; fi", "! a", "exec node x", "cd x", "true", ":",
		"PATH=/x a", "test -f x", "[ -f x ]", `"" a`, "time a", "a;", "a &&",
		"case x in x) a;; esac", "+ 0", "-x a", "a\x00b", "kill 1", "printf x", "pwd",
	}
	for _, line := range lines {
		if step := Plan(line, nil); step.Kind != Shell || step.Line != line {
			t.Errorf("Plan(%q) = %+v, want the shell", line, step)
		}
	}
}

func TestPlanArgs(t *testing.T) {
	step := Plan("node x.js", awkwardArgs)
	if want := append([]string{"node", "x.js"}, awkwardArgs...); !slices.Equal(step.Argv, want) {
		t.Errorf("direct args: got %q", step.Argv)
	}
	step = Plan("echo x", []string{"a b", "it's"})
	if want := `echo x 'a b' 'it'\''s'`; step.Line != want {
		t.Errorf("shell args: got %q, want %q", step.Line, want)
	}
}

// TestQuoteRoundTrip proves with /bin/sh that quoted args arrive as typed.
func TestQuoteRoundTrip(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	out, err := exec.Command("/bin/sh", "-c", AppendArgs(`printf '%s\0'`, awkwardArgs)).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if !slices.Equal(got, awkwardArgs) {
		t.Errorf("round trip through sh:\n got  %q\n want %q", got, awkwardArgs)
	}
}

// oracleLines are direct and near-direct lines checked against sh.
var oracleLines = []string{
	"node server.js", "NODE_ENV=production node --max-old-space-size=4096 server.js --port 3000",
	`A=1 B="two words" C='x y' tool -a "b c" 'd'"e"f\ g`, `x "a\"b" "c\d" 'e\f' g\ h "\\" "\$" "\` + "`" + `"`,
	`x a#b d~ e:~ --x=~/y`, `"if" x`, `x ''`, "x 'new\nline' \"a\nb\"", "x a\rb",
	`"FOO"=1 x`, `./node_modules/.bin/tsc -p .`, `FOO= x`, `A=1 A=2 x`, `x !a ! %PATH% ^`,
	`x "ü" 'ā' ā…`, `HOME=/h x`, `x \` + "'" + ` \"`, `x -- --y`,
}

func TestOracleLines(t *testing.T) {
	o := newOracle(t)
	for _, line := range oracleLines {
		if !o.check(line, nil) {
			t.Errorf("%q was not planned directly", line)
		}
		o.check(line, awkwardArgs)
	}
}

// TestOracleCorpus checks every script line of real projects that nrun
// runs directly against sh.
func TestOracleCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "realworld", "*package.json"))
	if len(files) == 0 {
		t.Skip("SKIP: corpus ../shared/corpus/realworld not found beside the repo")
	}
	o := newOracle(t)
	direct, total := 0, 0
	for _, f := range files {
		for _, line := range corpusLines(t, f) {
			total++
			if o.check(line, nil) {
				direct++
			}
		}
	}
	t.Logf("%d of %d corpus lines run directly", direct, total)
}

func corpusLines(t *testing.T, file string) []string {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct{ Scripts map[string]any }
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var lines []string
	for _, v := range pkg.Scripts {
		if s, ok := v.(string); ok {
			lines = append(lines, s)
		}
	}
	slices.Sort(lines)
	return lines
}

// FuzzPlan holds the planner to the oracle on arbitrary lines.
func FuzzPlan(f *testing.F) {
	for _, l := range oracleLines {
		f.Add(l, "x")
	}
	f.Add("a 'b", "")
	f.Fuzz(func(t *testing.T, line, arg string) {
		if strings.ContainsRune(line+arg, 0) {
			return // no argv can hold a NUL
		}
		step := Plan(line, []string{arg})
		if step.Kind != Direct {
			return
		}
		newOracle(t).check(line, []string{arg})
	})
}
