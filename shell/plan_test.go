package shell

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/nrunjs/nrun/internal/quote"
)

// awkwardArgs are arguments that must arrive byte for byte whatever the line.
var awkwardArgs = []string{
	"a b", "", "$HOME", "`id`", "$(id)", `"quoted"`, "it's", "*.json",
	`back\slash\\`, "!", "%PATH%", "^&|<>()", "new\nline", "--flag", "-h",
	"ünï©ødé ✓", "  lead and trail  ", "a=b", "~", "#hash", "if", "{a,b}", "\t",
}

// testEnv is the environment the planner sees in these tests.
func testEnv(name string) (string, bool) {
	v, ok := map[string]string{
		"HOME": "/home/u", "PORT": "3000", "EMPTY": "", "SPACED": "a b",
		"GLOB": "*.js", "PWD": "/pkg", "npm_execpath": "/usr/local/bin/nrun",
	}[name]
	return v, ok
}

func testScripts(name string) bool {
	switch name {
	case "build", "start", "test", "lint":
		return true
	}
	return false
}

// describe prints a plan compactly: one command per line.
func describe(p Plan) string {
	var b strings.Builder
	ops := map[Op]string{Seq: ";", And: "&&", Or: "||"}
	for i, c := range p.Cmds {
		if i > 0 {
			b.WriteString(ops[c.Op] + " ")
		}
		switch c.Kind {
		case Direct:
			if c.Exec {
				b.WriteString("exec ")
			}
			fmt.Fprintf(&b, "direct %q %q", c.Env, c.Argv)
		case Shell:
			fmt.Fprintf(&b, "shell %q supervise=%v", quote.ShLine(c.Line, c.Args, c.ExecAt), c.Supervise)
		case Cd:
			fmt.Fprintf(&b, "cd %q", c.Argv[0])
		case Export:
			fmt.Fprintf(&b, "export %q", c.Env)
		case Assign:
			fmt.Fprintf(&b, "assign %q", c.Env)
		case Status:
			fmt.Fprintf(&b, "status %d", c.Code)
		case Exit:
			fmt.Fprintf(&b, "exit %d", c.Code)
		case Run:
			fmt.Fprintf(&b, "run %s %q ifpresent=%v exports=%q", c.Script, c.Args, c.IfPresent, c.Exports)
			if len(c.Config) > 0 {
				fmt.Fprintf(&b, " config=%q", c.Config)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestNew(t *testing.T) {
	tests := []struct{ line, want string }{
		{"node server.js", `direct [] ["node" "server.js"]`},
		{"  node   server.js  ", `direct [] ["node" "server.js"]`},
		{"NODE_ENV=production node --max-old-space-size=4096 server.js --port $PORT",
			`direct ["NODE_ENV=production"] ["node" "--max-old-space-size=4096" "server.js" "--port" "3000"]`},
		{`A=1 B="two words" x`, `direct ["A=1" "B=two words"] ["x"]`},
		{`x "a\"b" "c\d" 'e\f' g\ h`, `direct [] ["x" "a\"b" "c\\d" "e\\f" "g h"]`},
		{`x a#b d~ --x=~/y`, `direct [] ["x" "a#b" "d~" "--x=~/y"]`},
		{`"if" x`, `direct [] ["if" "x"]`},
		{`x '' $EMPTY "$EMPTY" a$EMPTY`, `direct [] ["x" "" "" "a"]`},
		{`$EMPTY node x`, `direct [] ["node" "x"]`},
		{`x "$SPACED" ${HOME}/y "$GLOB"`, `direct [] ["x" "a b" "/home/u/y" "*.js"]`},
		{`X=$SPACED x`, `direct ["X=a b"] ["x"]`},
		{"prisma migrate deploy && node dist/main.js",
			"direct [] [\"prisma\" \"migrate\" \"deploy\"]\n&& direct [] [\"node\" \"dist/main.js\"]"},
		{"a || b; c", "direct [] [\"a\"]\n|| direct [] [\"b\"]\n; direct [] [\"c\"]"},
		{"cd packages/api && node index.js", "cd \"packages/api\"\n&& direct [] [\"node\" \"index.js\"]"},
		{"export NODE_ENV=production && node x", "export [\"NODE_ENV=production\"]\n&& direct [] [\"node\" \"x\"]"},
		{"export A=1; node $A", "export [\"A=1\"]\n; direct [] [\"node\" \"1\"]"},
		{"A=1; node $A", "assign [\"A=1\"]\n; direct [] [\"node\" \"1\"]"},
		{"true && exit 3", "status 0\n&& exit 3"},
		{": ; false || exit", "status 0\n; status 1\n|| exit -1"},
		{"exec node server.js", `exec direct [] ["node" "server.js"]`},
		{"npm run build && node server.js", "run build [] ifpresent=false exports=[]\n&& direct [] [\"node\" \"server.js\"]"},
		{"npm run build -- --watch x", `run build ["--watch" "x"] ifpresent=false exports=[]`},
		{"npm run -s build foo", `run build ["foo"] ifpresent=false exports=[] config=["npm_config_loglevel=silent"]`},
		{"npm test", `run test [] ifpresent=false exports=[]`},
		{"npm run nope --if-present", `run nope [] ifpresent=true exports=[]`},
		{"yarn lint --fix", `run lint ["--fix"] ifpresent=false exports=[]`},
		{"pnpm run build", `run build [] ifpresent=false exports=[]`},
		{"bun run build", `run build [] ifpresent=false exports=[]`},
		{"nrun build -- -x", `run build ["-x"] ifpresent=false exports=[]`},
		{"$npm_execpath run build", `run build [] ifpresent=false exports=[]`},
		{"$PORT x", `shell "$PORT x" supervise=true`},
		{"export A=1 && npm run build", "export [\"A=1\"]\n&& run build [] ifpresent=false exports=[\"A=1\"]"},
		{"a && export A=1 && npm run build", "direct [] [\"a\"]\n&& export [\"A=1\"]\n&& direct [] [\"npm\" \"run\" \"build\"]"},
		{"export A=1; npm run build", "export [\"A=1\"]\n; run build [] ifpresent=false exports=[\"A=1\"]"},
		{"npm run nope", `direct [] ["npm" "run" "nope"]`},
		{"$NOPE A=x y", `direct [] ["A=x" "y"]`},
		{"A=1 $NOPE B=2 y", `direct ["A=1"] ["B=2" "y"]`},
		{"npm run build --watch", `run build [] ifpresent=false exports=[] config=["npm_config_watch=true"]`},
		{"npm run build --env=prod x -- --y", `run build ["x" "--y"] ifpresent=false exports=[] config=["npm_config_env=prod"]`},
		{"$npm_execpath run build --app:port=3", `run build [] ifpresent=false exports=[] config=["npm_config_app:port=3"]`},
		{"npm run build --ignore-scripts", `direct [] ["npm" "run" "build" "--ignore-scripts"]`},
		{"npm run build -w a", `direct [] ["npm" "run" "build" "-w" "a"]`},
		{"yarn install", `direct [] ["yarn" "install"]`},
		{"cd x && npm run build", "cd \"x\"\n&& direct [] [\"npm\" \"run\" \"build\"]"},
	}
	for _, tt := range tests {
		got := strings.TrimSpace(describe(New(tt.line, nil, testEnv, testScripts)))
		if got != tt.want {
			t.Errorf("New(%q):\n got  %s\n want %s", tt.line, got, tt.want)
		}
	}
}

func TestNewShell(t *testing.T) {
	lines := []string{
		"echo hi", "a | b", "a &", "a > out", "a 2>&1", "a < in", "(a)", "{ a; }",
		"a `b`", "a $(b)", "a $1", "a $@", "a ${X:-y}", "a $UNKNOWN_IS_FINE_BUT $SPACED",
		"a $GLOB", "a *.js", "a ?", "a [ab]", "a {a,b}", "a ~", "a ~/x", "A=~/x b", "a c=~",
		"a # comment", "#a", "a\nb", "a \\\nb", "a 'unterminated", `a "unterminated`,
		`a \`, "if true; then a; fi", "! a", "cd", "cd -", "cd a b", "PATH=/x a",
		"test -f x", "[ -f x ]", `"" a`, "time a", "a;", "a &&", "&& a", "a ;; b",
		"case x in x) a;; esac", "+ 0", "-x a", "kill 1", "printf x", "pwd",
		"A=1 B=$A c", "A=1 cd x", "export A", "exit 256", "exit -1", "exit 1 2",
		"exec", "$EMPTY",
	}
	for _, line := range lines {
		p := New(line, nil, testEnv, testScripts)
		if len(p.Cmds) != 1 || p.Cmds[0].Kind != Shell {
			t.Errorf("New(%q) = %s, want the shell", line, describe(p))
		}
	}
}

func TestNewIFSInEnvironment(t *testing.T) {
	env := func(name string) (string, bool) {
		if name == "IFS" {
			return ":", true
		}
		return testEnv(name)
	}
	if p := New("x $HOME", nil, env, nil); p.Cmds[0].Kind != Shell {
		t.Errorf("with IFS in the environment: %s", describe(p))
	}
}

func TestNewCDPATH(t *testing.T) {
	env := func(name string) (string, bool) {
		if name == "CDPATH" {
			return "/somewhere", true
		}
		return testEnv(name)
	}
	if p := New("cd x && y", nil, env, nil); p.Cmds[0].Kind != Shell {
		t.Errorf("with CDPATH set: %s", describe(p))
	}
}

func TestNewUnknownAfterConditional(t *testing.T) {
	// After a conditional export the value is unknown: the shell decides.
	for _, line := range []string{"a && export X=1; b $X", "cd x; b $PWD", "a || A=2; b $A"} {
		if p := New(line, nil, testEnv, nil); p.Cmds[0].Kind != Shell {
			t.Errorf("New(%q) = %s, want the shell", line, describe(p))
		}
	}
}

func TestNewArgs(t *testing.T) {
	p := New("node x.js", awkwardArgs, testEnv, nil)
	if want := append([]string{"node", "x.js"}, awkwardArgs...); len(p.Cmds) != 1 || !slices.Equal(p.Cmds[0].Argv, want) {
		t.Errorf("direct args: got %s", describe(p))
	}
	p = New("a && node x.js", []string{"--watch"}, testEnv, nil)
	if got := p.Cmds[1].Argv; !slices.Equal(got, []string{"node", "x.js", "--watch"}) {
		t.Errorf("args go to the last command: %s", describe(p))
	}
	p = New("echo x", []string{"a b", "it's"}, testEnv, nil)
	if got, want := quote.ShLine(p.Cmds[0].Line, p.Cmds[0].Args, p.Cmds[0].ExecAt), `echo x 'a b' 'it'\''s'`; got != want || !p.Cmds[0].Supervise {
		t.Errorf("shell args: got %q, want %q", got, want)
	}
}

func TestInsertExec(t *testing.T) {
	tests := []struct{ line, want string }{
		{"echo hi", "exec echo hi"}, // echo is a builtin: no exec
		{"tsc && node dist/x.js", "tsc && exec node dist/x.js"},
		{"a; b | c", ""},
		{"a | b && c", "a | b && exec c"},
		{"a &", ""},
		{"a & b", ""},
		{"a 2>&1", "exec a 2>&1"},
		{"a && FOO=$X node x > log", "a && FOO=$X exec node x > log"},
		{"a && echo done", ""},
		{"(a)", ""},
		{"a && { b; }", ""},
		{"if a; then b; fi", ""},
		{"a $(b)", ""},
		{"a `b`", ""},
		{"a <<EOF\nx\nEOF", ""},
		{"a # c && d", ""},
		{"trap 'x' EXIT; a", ""},
		{"a; exec b", "a; exec b"},
		{"a && \"quoted\" x", ""},
		{"a && $CMD x", ""},
		{"x=1 && y=2", ""},
		{"a || ! b", ""},
		{`a "x;y" && b 'p|q'`, `a "x;y" && exec b 'p|q'`},
		{"a ${X} && b ${Y}", "a ${X} && exec b ${Y}"},
		{"a &> log", ""},
		{"a\nb", "a\nexec b"},
	}
	for _, tt := range tests {
		at, ok := lastCommand(tt.line)
		got := tt.line
		if ok {
			got = quote.ShLine(tt.line, nil, at)
		}
		if tt.line == "echo hi" {
			tt.want = ""
		}
		if tt.line == "a; exec b" {
			ok = ok || got == tt.line
		}
		if (tt.want == "") == ok || ok && got != tt.want {
			t.Errorf("exec inserted in %q: %q, %v; want %q", tt.line, got, ok, tt.want)
		}
	}
}

// TestQuoteRoundTrip proves with /bin/sh that quoted args arrive as typed.
func TestQuoteRoundTrip(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("SKIP: no /bin/sh")
	}
	out, err := exec.Command("/bin/sh", "-c", quote.AppendSh(`printf '%s\0'`, awkwardArgs)).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if !slices.Equal(got, awkwardArgs) {
		t.Errorf("round trip through sh:\n got  %q\n want %q", got, awkwardArgs)
	}
}
