package workspaces

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/nrunjs/nrun/internal/testfs"
	"github.com/nrunjs/nrun/pkgjson"
)

// monorepo lays out files (see testfs.Tree) in a fresh directory.
func monorepo(t testing.TB, files map[string]string) string { return testfs.Tree(t, files) }

// pkg is a package.json with a name and a script "ws" that prints which
// package.json npm ran it for.
func pkg(name string) string {
	n := ""
	if name != "" {
		n = fmt.Sprintf(`"name":%q,`, name)
	}
	return fmt.Sprintf(`{%s"scripts":{"ws":"echo \"WS=$npm_package_json\""}}`, n)
}

func loadRoot(t testing.TB, dir string) *pkgjson.Package {
	t.Helper()
	p, err := pkgjson.Load(filepath.Join(dir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// rels gives each workspace's directory relative to root, with slashes.
func rels(t testing.TB, root string, list []Workspace) []string {
	t.Helper()
	out := make([]string, len(list))
	for i, w := range list {
		r, err := filepath.Rel(root, w.Dir)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = filepath.ToSlash(r)
		if w.Path != filepath.Join(w.Dir, "package.json") || w.Root != root {
			t.Errorf("%s: Path %s, Root %s", out[i], w.Path, w.Root)
		}
	}
	return out
}

// The packages most cases share: names sort differently in ICU and in
// bytes, one directory has no package.json, one package has no name.
var sharedPackages = map[string]string{
	"packages/a/package.json":                  pkg("a"),
	"packages/a-b/package.json":                pkg("a-b"),
	"packages/ab/package.json":                 pkg("ab"),
	"packages/Cat/package.json":                pkg("cat"),
	"packages/bat/package.json":                pkg("bat"),
	"packages/_x/package.json":                 pkg("under"),
	"packages/10/package.json":                 pkg("ten"),
	"packages/9/package.json":                  pkg("nine"),
	"packages/empty":                           "",
	"packages/noname/package.json":             pkg(""),
	"packages/skip/package.json":               pkg("skip"),
	"packages/c/package.json":                  pkg("c"),
	"packages/c/x/package.json":                pkg("x"),
	"packages/.hidden/package.json":            pkg("hidden"),
	"packages/a/node_modules/dep/package.json": pkg("dep"),
	"packages/node_modules/nm/package.json":    pkg("nm"),
	"packages/@scope/q/package.json":           pkg(""),
	"apps/package.json":                        pkg("apps"),
	"apps/web/package.json":                    pkg("web"),
	"apps/web/sub/package.json":                pkg("websub"),
	"apps/.dot/y/package.json":                 pkg("doty"),
	"tools/t1/package.json":                    pkg("t1"),
	"README.md":                                "x",
}

func with(extra map[string]string) map[string]string {
	m := make(map[string]string, len(sharedPackages)+len(extra))
	for k, v := range sharedPackages {
		m[k] = v
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func TestWorkspaces(t *testing.T) {
	allPackages := []string{"packages/_x", "packages/10", "packages/9", "packages/a", "packages/a-b", "packages/ab",
		"packages/bat", "packages/c", "packages/Cat", "packages/noname", "packages/skip"}
	without := func(list []string, drop ...string) []string {
		return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return slices.Contains(drop, s) })
	}
	tests := []struct {
		name  string
		files map[string]string // added to sharedPackages
		want  []string
	}{
		{"array form", map[string]string{"package.json": `{"workspaces":["packages/*"]}`}, allPackages},
		{"object form (yarn)", map[string]string{"package.json": `{"workspaces":{"packages":["tools/*","apps/web"],"nohoist":["**/x"]}}`},
			[]string{"tools/t1", "apps/web"}},
		{"pnpm-workspace.yaml", map[string]string{
			"package.json": `{"name":"root"}`,
			"pnpm-workspace.yaml": "# the workspace\r\npackages:\r\n  # tools first\r\n  - 'tools/*'   # quoted\r\n\r\n  - \"apps/web\"\r\n  - packages/a # plain\r\n" +
				"catalog:\r\n  react: ^18\r\n  - not/this\r\n"},
			[]string{"tools/t1", "apps/web", "packages/a"}},
		{"pnpm-workspace.yaml with escapes", map[string]string{
			"package.json":           `{"name":"root"}`,
			"pnpm-workspace.yaml":    "packages:\n  - \"tools/t\\x31\"\n  - \"apps/\\u0077eb\"\n  - 'my\n    apps/*'\n",
			"my apps/x/package.json": pkg("x")},
			[]string{"tools/t1", "apps/web", "my apps/x"}},
		{"pnpm flow list", map[string]string{
			"package.json":        `{"name":"root","workspaces":null}`,
			"pnpm-workspace.yaml": "onlyBuiltDependencies: [esbuild]\npackages: [\n  'apps/web', # web\n  tools/*,\n]\n"},
			[]string{"apps/web", "tools/t1"}},
		{"package.json wins over pnpm-workspace.yaml", map[string]string{
			"package.json":        `{"workspaces":["tools/*"]}`,
			"pnpm-workspace.yaml": "packages:\n  - apps/*\n"},
			[]string{"tools/t1"}},
		{"negation", map[string]string{"package.json": `{"workspaces":["./packages/*","!packages/skip","!packages/a*"]}`},
			without(allPackages, "packages/skip", "packages/a", "packages/a-b", "packages/ab")},
		{"negation before the pattern", map[string]string{"package.json": `{"workspaces":["!packages/skip","packages/*"]}`},
			without(allPackages, "packages/skip")},
		{"negation cancelled by a later pattern it matches", map[string]string{"package.json": `{"workspaces":["packages/*","!packages/c/**","packages/c/x"]}`},
			append(slices.Clone(allPackages), "packages/c/x")},
		{"negated /** drops the directory and its inside", map[string]string{"package.json": `{"workspaces":["packages/**","!packages/c/**"]}`},
			slices.Insert(without(allPackages, "packages/c"), 1, "packages/@scope/q")},
		{"double negation is positive", map[string]string{"package.json": `{"workspaces":["tools/*","!!packages/a"]}`},
			[]string{"tools/t1", "packages/a"}},
		{"** takes the base, nested packages, not dot or node_modules", map[string]string{"package.json": `{"workspaces":["apps/**"]}`},
			[]string{"apps", "apps/web", "apps/web/sub"}},
		{"** from the root", map[string]string{"package.json": `{"name":"root","workspaces":["**"]}`},
			[]string{"apps", "apps/web", "apps/web/sub", "packages/_x", "packages/@scope/q", "packages/10", "packages/9", "packages/a", "packages/a-b",
				"packages/ab", "packages/bat", "packages/c", "packages/c/x", "packages/Cat", "packages/noname", "packages/skip", "tools/t1"}},
		{"groups follow the patterns, sorted inside", map[string]string{"package.json": `{"workspaces":["tools/*","packages/b*","apps/*","packages/a*"]}`},
			[]string{"tools/t1", "packages/bat", "apps/web", "packages/a", "packages/a-b", "packages/ab"}},
		{"a directory joins the group of a deeper pattern it starts", map[string]string{"package.json": `{"workspaces":["packages/c/x","packages/*"]}`},
			append([]string{"packages/c", "packages/c/x"}, without(allPackages, "packages/c")...)},
		{"a repeated match keeps its first place", map[string]string{"package.json": `{"workspaces":["packages/bat","packages/*"]}`},
			append([]string{"packages/bat"}, without(allPackages, "packages/bat")...)},
		{"trailing slash and leading slash", map[string]string{"package.json": `{"workspaces":["/tools/*/","packages//a"]}`},
			[]string{"tools/t1", "packages/a"}},
		{"braces, classes and ?", map[string]string{"package.json": `{"workspaces":["packages/{a,bat}","packages/[0-9]*","packages/[!a-z_0-9]*","packages/?"]}`},
			[]string{"packages/a", "packages/bat", "packages/10", "packages/9", "packages/Cat", "packages/c"}},
		{"explicit dot directory", map[string]string{"package.json": `{"workspaces":["packages/.hidden","apps/.dot/*"]}`},
			[]string{"packages/.hidden", "apps/.dot/y"}},
		{"the root itself", map[string]string{"package.json": `{"name":"root","workspaces":[".","tools/*"]}`},
			[]string{".", "tools/t1"}},
		{"directory without package.json and a file are skipped", map[string]string{"package.json": `{"workspaces":["packages/empty","README.md","nowhere/*"]}`},
			nil},
		{"no workspaces field", map[string]string{"package.json": `{"name":"root"}`}, nil},
		{"empty list", map[string]string{"package.json": `{"workspaces":[]}`}, nil},
		{"only negations", map[string]string{"package.json": `{"workspaces":["!packages/a"]}`}, nil},
		{"false is no declaration", map[string]string{"package.json": `{"workspaces":false}`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := monorepo(t, with(tt.files))
			list, err := Workspaces(loadRoot(t, dir))
			if err != nil {
				t.Fatal(err)
			}
			if got := rels(t, dir, list); !reflect.DeepEqual(got, tt.want) && (len(got) != 0 || len(tt.want) != 0) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if tt.want == nil && list != nil {
				t.Errorf("got %#v, want nil", list)
			}
		})
	}
}

func TestWorkspaceNames(t *testing.T) {
	dir := monorepo(t, with(map[string]string{"package.json": `{"workspaces":["packages/*","packages/@scope/*"]}`,
		"packages/dupname/package.json": `{"name":"x","name":"  spaced  ","version":"1.0.0"}`,
		"packages/num/package.json":     `{"name":5}`}))
	list, err := Workspaces(loadRoot(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]string{}
	for _, w := range list {
		got[filepath.Base(w.Dir)] = [2]string{w.Name, w.Key}
	}
	want := map[string][2]string{
		"noname":  {"", "noname"},               // npm: the folder's name
		"q":       {"", "@scope/q"},             // under an @scope folder
		"dupname": {"  spaced  ", "  spaced  "}, // the last "name", untrimmed
		"num":     {"", "num"},                  // not a string: absent
		"a":       {"a", "a"},
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: Name, Key = %q, want %q", k, got[k], v)
		}
	}
}

func TestWorkspacesErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the message
	}{
		{"duplicate names", map[string]string{
			"package.json":               `{"workspaces":["packages/*","apps/*"]}`,
			"packages/one/package.json":  pkg("same"),
			"apps/two/package.json":      pkg("same"),
			"apps/three/package.json":    pkg("three"),
			"apps/four/package.json":     pkg("other"),
			"packages/four/package.json": pkg("other")},
			[]string{"must not have multiple workspaces with the same name",
				"package 'other' has conflicts in the following paths: ", filepath.Join("packages", "four") + ", ",
				"package 'same' has conflicts", filepath.Join("apps", "two")}},
		{"name-less packages in folders of one name", map[string]string{
			"package.json":       `{"workspaces":["a/*","b/*"]}`,
			"a/lib/package.json": `{}`,
			"b/lib/package.json": `{"name":""}`},
			[]string{"package 'lib' has conflicts"}},
		{"workspaces is a string", map[string]string{"package.json": `{"workspaces":"packages/*"}`},
			[]string{`"workspaces" in`, "must be an array", "workspaces config expects an Array"}},
		{"object without packages", map[string]string{"package.json": `{"workspaces":{"nohoist":["x"]}}`},
			[]string{"workspaces config expects an Array"}},
		{"a pattern that is not a string", map[string]string{"package.json": `{"workspaces":["packages/*",5]}`},
			[]string{`must list strings, not a number`}},
		{"invalid JSON in a workspace", map[string]string{
			"package.json":              `{"workspaces":["packages/*"]}`,
			"packages/bad/package.json": `{"name":}`},
			[]string{"invalid JSON in", filepath.Join("bad", "package.json"), "line 1, column 9"}},
		{"a workspace that is an array", map[string]string{
			"package.json":              `{"workspaces":["packages/*"]}`,
			"packages/arr/package.json": `[]`},
			[]string{"must be an object, not an array"}},
		{"package.json is a directory", map[string]string{
			"package.json":              `{"workspaces":["packages/*"]}`,
			"packages/d/package.json/x": "x"},
			[]string{"is a directory"}},
		{"pnpm: unterminated quote", map[string]string{
			"package.json":        `{}`,
			"pnpm-workspace.yaml": "packages:\n  - 'apps/*\n"},
			[]string{"pnpm-workspace.yaml line 2", "unterminated '-quoted item"}},
		{"pnpm: a block scalar", map[string]string{
			"package.json":        `{}`,
			"pnpm-workspace.yaml": "packages:\n  - >-\n    apps/*\n"},
			[]string{"pnpm-workspace.yaml line 2: block scalars (| and >) are not supported"}},
		{"pnpm: packages not a list", map[string]string{
			"package.json":        `{}`,
			"pnpm-workspace.yaml": "packages: apps/*\n"},
			[]string{`"packages" must be a list`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := monorepo(t, tt.files)
			list, err := Workspaces(loadRoot(t, dir))
			if err == nil {
				t.Fatalf("no error; got %v", list)
			}
			testfs.CheckOneLine(t, err)
			var pe *pkgjson.Error
			if !errors.As(err, &pe) {
				t.Errorf("%T is not *Error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestWorkspacesSymlinks(t *testing.T) {
	dir := monorepo(t, map[string]string{
		"elsewhere/real/package.json": pkg("real"),
		"packages/own/package.json":   pkg("own"),
		"packages/linked":             "->../elsewhere/real",
		"packages/own/deep":           "->../../elsewhere",
		"package.json":                `{}`,
	})
	for _, tt := range []struct {
		patterns string
		want     []string
	}{
		{`["packages/*"]`, []string{"packages/linked", "packages/own"}},  // * follows a link
		{`["packages/**"]`, []string{"packages/linked", "packages/own"}}, // ** lists it, does not go below own/deep
		{`["**"]`, []string{"elsewhere/real", "packages/own"}},           // a leading ** ignores links
		{`["packages/own/deep/*"]`, []string{"packages/own/deep/real"}},  // literal parts go through links
		{`["packages/**/real"]`, []string{"packages/own/deep/real"}},     // a later ** ends at a link, the rest applies inside
		{`["**/real"]`, []string{"elsewhere/real"}},
	} {
		testfs.Write(t, dir, "package.json", `{"workspaces":`+tt.patterns+`}`)
		list, err := Workspaces(loadRoot(t, dir))
		if err != nil {
			t.Fatalf("%s: %v", tt.patterns, err)
		}
		if got := rels(t, dir, list); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.patterns, got, tt.want)
		}
	}
	// The same package through a link and directly: two paths, one name.
	testfs.Write(t, dir, "package.json", `{"workspaces":["packages/*","elsewhere/*"]}`)
	if _, err := Workspaces(loadRoot(t, dir)); err == nil || !strings.Contains(err.Error(), "package 'real' has conflicts") {
		t.Errorf("link and target: err = %v, want the duplicate error", err)
	}
}

func TestSplitNegated(t *testing.T) {
	tests := []struct {
		in, patterns, negated []string
	}{
		{[]string{"packages/*", "!packages/a"}, []string{"packages/*"}, []string{"packages/a"}},
		{[]string{"./a/*", "/b/*", ".//c", "!./d"}, []string{"a/*", "b/*", "c"}, []string{"d"}},
		// A later positive pattern cancels an earlier negation matching it.
		{[]string{"packages/**", "!packages/b/**", "packages/b/a"}, []string{"packages/**", "packages/b/a"}, nil},
		// A negation removes the positive patterns it matches as strings.
		{[]string{"packages/a", "packages/b", "!packages/a"}, []string{"packages/b"}, []string{"packages/a"}},
		// npm's loop skips the negation after one it removes.
		{[]string{"!x/*", "!x/y", "x/y"}, []string{}, []string{"x/y"}},
		{[]string{"!!a", "!!!b"}, []string{"a"}, []string{"b"}},
	}
	for _, tt := range tests {
		p, n := splitNegated(tt.in)
		if len(p) == 0 {
			p = []string{}
		}
		if len(n) == 0 {
			n = nil
		}
		if !reflect.DeepEqual(p, tt.patterns) || !reflect.DeepEqual(n, tt.negated) {
			t.Errorf("splitNegated(%q) = %q, %q; want %q, %q", tt.in, p, n, tt.patterns, tt.negated)
		}
	}
}

// npmEnv is an environment for running the machine's npm in a test: a fresh
// HOME, no npm_* variables inherited from whatever runs the tests.
func npmEnv(t *testing.T) []string {
	env := []string{"HOME=" + t.TempDir(), "npm_config_update_notifier=false", "npm_config_fund=false", "npm_config_audit=false"}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(strings.ToLower(k), "npm_") || k == "HOME" || k == "USERPROFILE" || k == "INIT_CWD" || k == "PREFIX" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// runNpm runs `npm --offline ARGS` in dir and returns stdout and stderr.
func runNpm(t *testing.T, dir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	npm, lookErr := exec.LookPath("npm")
	if lookErr != nil {
		t.Skip("SKIP: npm not installed")
	}
	if runtime.GOOS == "windows" {
		t.Skip("SKIP: the npm fixtures use sh syntax")
	}
	cmd := exec.Command(npm, append([]string{"--offline"}, args...)...)
	cmd.Dir = dir
	cmd.Env = npmEnv(t)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// wsLines picks the directories of the WS=… lines the "ws" scripts print.
func wsLines(t *testing.T, root, out string) []string {
	var got []string
	for _, line := range strings.Split(out, "\n") {
		if p, ok := strings.CutPrefix(line, "WS="); ok {
			r, err := filepath.Rel(root, filepath.Dir(p))
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, filepath.ToSlash(r))
		}
	}
	return got
}

// TestWorkspacesOrderMatchesNpm runs every workspace's script with the
// machine's npm and compares the order with Workspaces'.
func TestWorkspacesOrderMatchesNpm(t *testing.T) {
	files := with(map[string]string{
		"package.json": `{"name":"root","private":true,"workspaces":["tools/*","packages/**","!packages/skip","apps/*","./apps/web/sub"]}`,
	})
	dir := monorepo(t, files)
	list, err := Workspaces(loadRoot(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	want := rels(t, dir, list)
	out, stderr, err := runNpm(t, dir, "run", "--workspaces", "--if-present", "ws")
	if err != nil {
		t.Fatalf("npm: %v\n%s", err, stderr)
	}
	if got := wsLines(t, dir, out); !reflect.DeepEqual(got, want) {
		t.Errorf("npm runs   %q\nWorkspaces %q", got, want)
	}

	// Two workspaces with one name: both fail.
	testfs.Write(t, dir, "tools/dup/package.json", pkg("a"))
	_, stderr, err = runNpm(t, dir, "run", "--workspaces", "--if-present", "ws")
	if err == nil || !strings.Contains(stderr, "must not have multiple workspaces with the same name") {
		t.Errorf("npm with a duplicate: %v\n%s", err, stderr)
	}
	if _, err := Workspaces(loadRoot(t, dir)); err == nil || !strings.Contains(err.Error(), "must not have multiple workspaces with the same name") {
		t.Errorf("Workspaces with a duplicate: %v", err)
	}
}

// mapWorkspacesModule finds @npmcli/map-workspaces inside the machine's npm.
func mapWorkspacesModule(t *testing.T) (node, module string) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("SKIP: node not installed")
	}
	out, _, err := runNpm(t, t.TempDir(), "root", "-g")
	if err != nil {
		t.Skipf("SKIP: npm root -g: %v", err)
	}
	module = filepath.Join(strings.TrimSpace(out), "npm", "node_modules", "@npmcli", "map-workspaces")
	if _, err := os.Stat(module); err != nil {
		t.Skipf("SKIP: no %s", module)
	}
	return node, module
}

// TestWorkspacesMatchMapWorkspaces hands many pattern lists to npm's own
// @npmcli/map-workspaces and to Workspaces, on one tree.
func TestWorkspacesMatchMapWorkspaces(t *testing.T) {
	node, module := mapWorkspacesModule(t)
	files := with(map[string]string{
		"package.json":                  `{"name":"root"}`,
		"links/tools":                   "->../tools",
		"packages/c/d/e/back":           "->../../../../apps/web",
		"packages/c/d/e/f/package.json": pkg("f"),
	})
	dir := monorepo(t, files)
	cases := [][]string{
		{"packages/*"}, {"packages/**"}, {"**"}, {"apps/**", "packages/*"}, {"packages/*", "!packages/s*"},
		{"!packages/a", "packages/*"}, {"packages/**", "!packages/c/**", "packages/c/x"}, {"packages/c/x", "packages/**"},
		{"packages/bat", "packages/*"}, {"./packages/*/"}, {"/packages/*"}, {"packages/{a,bat}"}, {"packages/[ab]*"},
		{"packages/[!ab]*"}, {"packages/?"}, {"."}, {".", "**"}, {"packages/*", "!!packages/a"}, {"*/*"}, {"**/x"},
		{"packages/**", "!packages/c"}, {"packages/**", "!packages/c/"}, {"apps/.dot/*"}, {"packages/*/node_modules/*"},
		{"packages//*"}, {"packages/c/**"}, {"links/*"}, {"links/**"}, {"links/*/*"}, {"*/t1", "links/*/t1"}, {"packages/c/d/e/*"},
		{"packages/**/e/*"}, {"packages/*", "!packages/*"}, {"!packages/a"}, {}, {"tools/*", "packages/b*", "apps/*", "packages/a*"},
		{"packages/**/", "!**/c/**"}, {"**/web/**"}, {"packages/@scope/*"}, {"packages/*", "packages/@*/*"},
		{"tools/*", "links/*/*"}, {"packages/**", "apps/*"}, {"packages/**/back"}, {"**/back"}, {"packages/c/d/e/back/*"},
		{"**/sub"}, {"packages/**/sub"}, {"packages/*/d/**"}, {"{apps,tools}/*"}, {"packages/#x"}, {"packages/[a"},
	}
	script := fmt.Sprintf(`
const mw = require(%q);
const cases = JSON.parse(process.argv[1]);
(async () => {
  const out = [];
  for (const ws of cases) {
    try {
      const m = await mw({ cwd: %q, pkg: { workspaces: ws } });
      out.push({ list: [...m].map(([name, p]) => [name, p]) });
    } catch (e) {
      out.push({ error: e.message.split("\n")[0] });
    }
  }
  process.stdout.write(JSON.stringify(out));
})();`, module, dir)
	in, _ := json.Marshal(cases)
	out, err := exec.Command(node, "-e", script, string(in)).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var answers []struct {
		List  [][2]string
		Error string
	}
	if err := json.Unmarshal(out, &answers); err != nil {
		t.Fatal(err)
	}
	for i, patterns := range cases {
		raw, _ := json.Marshal(patterns)
		testfs.Write(t, dir, "package.json", `{"name":"root","workspaces":`+string(raw)+`}`)
		list, err := Workspaces(loadRoot(t, dir))
		want := answers[i]
		switch {
		case want.Error != "":
			if err == nil || !strings.Contains(err.Error(), want.Error) {
				t.Errorf("%s: npm fails with %q, Workspaces: %v", raw, want.Error, err)
			}
			continue
		case err != nil:
			t.Errorf("%s: %v (npm: %q)", raw, err, want.List)
			continue
		}
		got := make([][2]string, len(list))
		for j, w := range list {
			got[j] = [2]string{w.Key, w.Dir}
		}
		if !reflect.DeepEqual(got, want.List) && (len(got) != 0 || len(want.List) != 0) {
			t.Errorf("%s:\nWorkspaces %q\nnpm        %q", raw, got, want.List)
		}
	}
}

// selectionRepo is the monorepo of the selection tests.
func selectionRepo(t *testing.T) (string, []Workspace) {
	dir := monorepo(t, map[string]string{
		"package.json":                 `{"name":"root","workspaces":["packages/**","apps/*"]}`,
		"packages/a/package.json":      pkg("a"),
		"packages/b/package.json":      pkg("b"),
		"packages/c/package.json":      pkg("c"),
		"packages/c/x/package.json":    pkg("x"),
		"packages/noname/package.json": pkg(""),
		"apps/web/package.json":        pkg("web"),
		"apps/empty/README":            "no package.json: not a workspace",
		"outside/package.json":         pkg("outside"),
	})
	all, err := Workspaces(loadRoot(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	return dir, all
}

var selectionCases = []struct {
	name, cwd string   // cwd relative to the root
	args      []string // "$ROOT" is replaced by the root
	want      []string // nil: the error
}{
	{"by name", ".", []string{"a"}, []string{"packages/a"}},
	{"by the folder name of a name-less package", ".", []string{"noname"}, []string{"packages/noname"}},
	{"by path", ".", []string{"packages/b"}, []string{"packages/b"}},
	{"by ./path", ".", []string{"./apps/web"}, []string{"apps/web"}},
	{"by path with a trailing slash", ".", []string{"apps/web/"}, []string{"apps/web"}},
	{"by absolute path", ".", []string{"$ROOT/packages/a"}, []string{"packages/a"}},
	{"by parent path: one level down", ".", []string{"packages"}, []string{"packages/a", "packages/b", "packages/c", "packages/noname"}},
	{"by ./parent path", ".", []string{"./packages"}, []string{"packages/a", "packages/b", "packages/c", "packages/noname"}},
	{"by absolute parent path", ".", []string{"$ROOT/packages"}, []string{"packages/a", "packages/b", "packages/c", "packages/noname"}},
	{"a workspace and its children", ".", []string{"packages/c"}, []string{"packages/c", "packages/c/x"}},
	{"a glob selects the level below it", ".", []string{"packages/*"}, []string{"packages/c/x"}},
	{"order of the arguments, no repeats", ".", []string{"web", "b", "packages", "web"}, []string{"apps/web", "packages/b", "packages/a", "packages/c", "packages/noname"}},
	{"relative to a subdirectory", "apps", []string{"../packages"}, []string{"packages/a", "packages/b", "packages/c", "packages/noname"}},
	{"./ from a subdirectory", "apps", []string{"./web"}, []string{"apps/web"}},
	{"the workspace itself as .", "packages/a", []string{"."}, []string{"packages/a"}},
	{"name from a subdirectory", "packages/c", []string{"web"}, []string{"apps/web"}},
	{"from outside the root paths are the root's", "../outside-cwd", []string{"packages/a", "apps"}, []string{"packages/a", "apps/web"}},
	{"unknown name", ".", []string{"nope"}, nil},
	{"unknown path", ".", []string{"packages/nope"}, nil},
	{"an unknown one beside a known one is ignored", ".", []string{"nope", "a"}, []string{"packages/a"}},
	{"a package outside the workspaces", ".", []string{"outside"}, nil},
	{". at the root selects nothing", ".", []string{"."}, nil},
	{". in a directory of workspaces selects nothing", "apps", []string{"."}, nil},
	{"a matched directory without package.json", ".", []string{"apps/empty"}, nil},
	{"paths in the arguments' order", "apps", []string{"../packages/c", "web", "./web", "$ROOT/packages/a"}, []string{"packages/c", "packages/c/x", "apps/web", "packages/a"}},
}

// TestSelectWorkspaces runs the selection cases, with SelectPaths too
// where every argument is a path: both must select the same.
func TestSelectWorkspaces(t *testing.T) {
	dir, all := selectionRepo(t)
	testfs.Mkdir(t, dir, "../outside-cwd")
	root := loadRoot(t, dir)
	for _, tt := range selectionCases {
		t.Run(tt.name, func(t *testing.T) {
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "$ROOT", dir)
			}
			cwd := filepath.Join(dir, tt.cwd)
			check := func(how string, got []Workspace, err error) {
				t.Helper()
				if tt.want == nil {
					if err == nil {
						t.Fatalf("%s: no error; got %q", how, rels(t, dir, got))
					}
					if !strings.HasSuffix(err.Error(), ".") { // "--workspace=." ends so
						testfs.CheckOneLine(t, err)
					}
					want := "no workspaces found: --workspace=" + strings.Join(args, " --workspace=")
					if !errors.Is(err, ErrNoWorkspaces) || err.Error() != want {
						t.Errorf("%s: error %q, want %q wrapping ErrNoWorkspaces", how, err, want)
					}
					return
				}
				if err != nil {
					t.Fatalf("%s: %v", how, err)
				}
				if r := rels(t, dir, got); !reflect.DeepEqual(r, tt.want) {
					t.Errorf("%s: got %q, want %q", how, r, tt.want)
				}
			}
			got, err := SelectWorkspaces(all, args, cwd)
			check("SelectWorkspaces", got, err)
			if !slices.ContainsFunc(args, func(a string) bool { return !IsPath(a) }) {
				got, err := SelectPaths(root, args, cwd)
				check("SelectPaths", got, err)
			}
		})
	}
	t.Run("no arguments: all", func(t *testing.T) {
		got, err := SelectWorkspaces(all, nil, dir)
		if err != nil || !reflect.DeepEqual(got, all) {
			t.Errorf("got %v, %v", got, err)
		}
		if _, err := SelectWorkspaces(nil, nil, dir); !errors.Is(err, ErrNoWorkspaces) {
			t.Errorf("no workspaces: %v", err)
		}
	})
}

func TestIsPath(t *testing.T) {
	paths := []string{"packages/a", "./a", "../a", ".", "..", "./", "/abs/a", "a/", "./@scope/a", "packages/*"}
	names := []string{"a", "@scope/a", "@scope", "packages", ".a", "a.b"}
	if runtime.GOOS == "windows" {
		paths = append(paths, `packages\a`, `C:\a`)
	} else {
		names = append(names, `packages\a`) // a valid file name, and no separator
	}
	for _, a := range paths {
		if !IsPath(a) {
			t.Errorf("IsPath(%q) = false", a)
		}
	}
	for _, a := range names {
		if IsPath(a) {
			t.Errorf("IsPath(%q) = true", a)
		}
	}
}

// TestSelectPathsReadsOnlyTheSelected shows that SelectPaths leaves the
// other workspaces unread: a broken package.json and two packages with
// one name among them, which make the whole list fail, do not stop it.
func TestSelectPathsReadsOnlyTheSelected(t *testing.T) {
	dir := monorepo(t, map[string]string{
		"package.json":              `{"name":"root","workspaces":["packages/*"]}`,
		"packages/a/package.json":   pkg("a"),
		"packages/b/package.json":   pkg(""),
		"packages/bad/package.json": `{"name":`,
		"packages/d1/package.json":  pkg("dup"),
		"packages/d2/package.json":  pkg("dup"),
	})
	root := loadRoot(t, dir)
	if _, err := Workspaces(root); err == nil {
		t.Fatal("Workspaces: no error for the broken list")
	}
	got, err := SelectPaths(root, []string{"packages/b", "./packages/a"}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if r := rels(t, dir, got); !reflect.DeepEqual(r, []string{"packages/b", "packages/a"}) || got[0].Key != "b" || got[1].Name != "a" {
		t.Errorf("got %q, %+v", r, got)
	}
	if _, err := SelectPaths(root, []string{"packages/bad"}, dir); err == nil || !strings.Contains(err.Error(), "invalid JSON") {
		t.Errorf("a selected broken package.json: %v", err)
	}
}

// TestSelectWorkspacesMatchesNpm runs the selection cases with npm run -w.
func TestSelectWorkspacesMatchesNpm(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short (runs npm once per case)")
	}
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("SKIP: npm not installed")
	}
	dir, _ := selectionRepo(t)
	testfs.Mkdir(t, dir, "../outside-cwd")
	for _, tt := range selectionCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := []string{"run", "ws"}
			if strings.HasPrefix(tt.cwd, "..") {
				args = append(args, "--prefix", dir)
			}
			for _, a := range tt.args {
				args = append(args, "--workspace="+strings.ReplaceAll(a, "$ROOT", dir))
			}
			out, stderr, err := runNpm(t, filepath.Join(dir, tt.cwd), args...)
			if tt.want == nil {
				if err == nil || !strings.Contains(stderr, "No workspaces found") {
					t.Errorf("npm: %v, %q\n%s", err, wsLines(t, dir, out), stderr)
				}
				return
			}
			if err != nil {
				t.Fatalf("npm: %v\n%s", err, stderr)
			}
			if got := wsLines(t, dir, out); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("npm runs %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFindWorkspaceRoot(t *testing.T) {
	dir := monorepo(t, map[string]string{
		"package.json":                   `{"name":"root","workspaces":["packages/**","!packages/excluded"]}`,
		"packages/a/package.json":        pkg("a"),
		"packages/a/src":                 "",
		"packages/c/x/package.json":      pkg("x"),
		"packages/excluded/package.json": pkg("excluded"),
		"plain/package.json":             pkg("plain"),
		// A package whose nearest workspace root does not list it, under
		// one that does: npm keeps walking.
		"nested/package.json":        `{"workspaces":["libs/*"]}`,
		"nested/libs/l/package.json": pkg("l"),
		"nested/other/package.json":  pkg("other"),
		"broken/package.json":        `{`,
		"broken/inner/package.json":  pkg("inner"),
		"pnpm/package.json":          `{"name":"p"}`,
		"pnpm/pnpm-workspace.yaml":   "packages:\n  - 'pk/*'\n",
		"pnpm/pk/one/package.json":   pkg("one"),
	})
	// The outer root must also list nested/other for the walk-on case.
	testfs.Write(t, dir, "package.json", `{"name":"root","workspaces":["packages/**","!packages/excluded","nested/other","broken/inner","pnpm/pk/*"]}`)
	root := filepath.Join(dir, "package.json")
	tests := []struct {
		from, want string
	}{
		{"packages/a", root},
		{"packages/c/x", root}, // a nested workspace
		{"packages/a/src", ""}, // not a package dir npm would start from
		{"packages/excluded", ""},
		{"plain", ""},
		{".", ""}, // a root is not its own workspace root
		{"nested/libs/l", filepath.Join(dir, "nested", "package.json")},
		{"nested/other", root}, // nested/package.json does not list it
		{"broken/inner", root}, // an unreadable package.json is passed over
		{"pnpm/pk/one", filepath.Join(dir, "pnpm", "package.json")},
	}
	for _, tt := range tests {
		got, err := FindWorkspaceRoot(filepath.Join(dir, tt.from))
		if err != nil || got != tt.want {
			t.Errorf("FindWorkspaceRoot(%s) = %q, %v; want %q", tt.from, got, err, tt.want)
		}
	}

	// A relative dir is taken from the working directory.
	t.Chdir(filepath.Join(dir, "packages"))
	if got, err := FindWorkspaceRoot("a"); err != nil || got != root {
		t.Errorf("relative: %q, %v", got, err)
	}

	// A broken workspace list on the way is an error, as in npm.
	testfs.Write(t, dir, "packages/dup/package.json", pkg("a"))
	if _, err := FindWorkspaceRoot(filepath.Join(dir, "plain")); err == nil || !strings.Contains(err.Error(), "same name") {
		t.Errorf("with a duplicate: %v", err)
	}
}

// TestFindWorkspaceRootMatchesNpm compares with `npm prefix`, which prints the
// workspace root from inside a workspace and the package itself otherwise.
func TestFindWorkspaceRootMatchesNpm(t *testing.T) {
	dir := monorepo(t, map[string]string{
		"package.json":                   `{"name":"root","workspaces":["packages/**","!packages/excluded"]}`,
		"packages/a/package.json":        pkg("a"),
		"packages/c/x/package.json":      pkg("x"),
		"packages/excluded/package.json": pkg("excluded"),
		"plain/package.json":             pkg("plain"),
	})
	for _, from := range []string{"packages/a", "packages/c/x", "packages/excluded", "plain", "."} {
		pkgDir := filepath.Join(dir, from)
		out, stderr, err := runNpm(t, pkgDir, "prefix")
		if err != nil {
			t.Fatalf("npm prefix: %v\n%s", err, stderr)
		}
		want := strings.TrimSpace(out)
		got, err := FindWorkspaceRoot(pkgDir)
		if err != nil {
			t.Fatal(err)
		}
		if got == "" {
			got = pkgDir
		} else {
			got = filepath.Dir(got)
		}
		if got != want {
			t.Errorf("%s: FindWorkspaceRoot gives %s, npm prefix %s", from, got, want)
		}
	}
}

// BenchmarkSelect is `-w NAME` and `-w PATH` in a monorepo of 500
// workspaces: a name needs every package.json read, a path only the
// selected one's.
func BenchmarkSelect(b *testing.B) {
	files := map[string]string{"package.json": `{"workspaces":["packages/*"]}`}
	for i := range 500 {
		files[fmt.Sprintf("packages/pkg-%d/package.json", i)] = pkg(fmt.Sprintf("pkg-%d", i))
	}
	dir := monorepo(b, files)
	root := loadRoot(b, dir)
	b.Run("name", func(b *testing.B) {
		for b.Loop() {
			all, err := Workspaces(root)
			if err != nil {
				b.Fatal(err)
			}
			if got, err := SelectWorkspaces(all, []string{"pkg-250"}, dir); err != nil || len(got) != 1 {
				b.Fatal(got, err)
			}
		}
	})
	b.Run("path", func(b *testing.B) {
		for b.Loop() {
			if got, err := SelectPaths(root, []string{"packages/pkg-250"}, dir); err != nil || len(got) != 1 {
				b.Fatal(got, err)
			}
		}
	})
}

func BenchmarkWorkspaces(b *testing.B) {
	files := map[string]string{"package.json": `{"workspaces":["packages/*","apps/*"]}`}
	for i := range 200 {
		files[fmt.Sprintf("packages/p%03d/package.json", i)] = pkg(fmt.Sprintf("p%03d", i))
		// A big tree beside the workspaces: never read for these patterns.
		files[fmt.Sprintf("packages/p%03d/src/a/b/c/d.js", i)] = "x"
	}
	dir := monorepo(b, files)
	root := loadRoot(b, dir)
	for b.Loop() {
		if _, err := Workspaces(root); err != nil {
			b.Fatal(err)
		}
	}
}
