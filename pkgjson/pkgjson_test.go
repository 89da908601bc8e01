package pkgjson

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/testfs"
)

func TestFind(t *testing.T) {
	root := testfs.TempDir(t)
	// Nested: nearest wins.
	outer := testfs.Write(t, root, "nested/package.json", `{}`)
	inner := testfs.Write(t, root, "nested/app/package.json", `{}`)
	testfs.Mkdir(t, root, "nested/app/src/deep/er")
	testfs.Mkdir(t, root, "nested/other/x/y")
	// A directory named package.json is passed over.
	dirPkg := testfs.Write(t, root, "withdir/package.json", `{}`)
	testfs.Mkdir(t, root, "withdir/sub/package.json")
	// A symlink to a file counts; a dangling one does not.
	linkTarget := testfs.Write(t, root, "linked/real.json", `{}`)
	testfs.Mkdir(t, root, "linked/sub")
	linkOK := filepath.Join(root, "linked/sub/package.json")
	danglingParent := testfs.Write(t, root, "dangling/package.json", `{}`)
	testfs.Mkdir(t, root, "dangling/sub")
	if runtime.GOOS != "windows" {
		if err := os.Symlink(linkTarget, linkOK); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(root, "nowhere"), filepath.Join(root, "dangling/sub/package.json")); err != nil {
			t.Fatal(err)
		}
	}
	// A start directory that does not exist is walked up like any other.
	tests := []struct {
		name, start, want string
		unixOnly          bool
	}{
		{"in the package dir", "nested/app", inner, false},
		{"walks up several levels", "nested/app/src/deep/er", inner, false},
		{"nearest wins over outer", "nested/app/src", inner, false},
		{"sibling finds outer", "nested/other/x/y", outer, false},
		{"directory named package.json skipped", "withdir/sub", dirPkg, false},
		{"start dir missing", "nested/app/no/such/dir", inner, false},
		{"symlink to file accepted", "linked/sub", linkOK, true},
		{"dangling symlink skipped", "dangling/sub", danglingParent, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.unixOnly && runtime.GOOS == "windows" {
				t.Skip("symlinks need privileges on windows")
			}
			got, err := Find(filepath.Join(root, tt.start))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Find = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFindNotFound(t *testing.T) {
	root := testfs.TempDir(t)
	for d := root; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(filepath.Join(d, "package.json")); err == nil && fi.Mode().IsRegular() {
			t.Skipf("a package.json above the temp dir (%s) makes 'not found' untestable here", d)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	start := testfs.Mkdir(t, root, "a/b/c")
	testfs.Mkdir(t, root, "a/package.json") // a directory does not count
	_, err := Find(start + string(filepath.Separator) + ".")
	if err == nil {
		t.Fatal("Find succeeded with no package.json anywhere")
	}
	if want := "no package.json in " + start + " or any parent"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("error %v does not wrap ErrNotFound", err)
	}
	var pe *Error
	if errors.As(err, &pe) {
		t.Errorf("not-found error is an *Error; callers could not tell it from a bad file")
	}
	testfs.CheckOneLine(t, err)
}

// A package.json that cannot be checked stops the search: silently running
// a parent package's script instead would be worse than an error.
func TestFindUnsearchable(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not deny access on windows")
	}
	if os.Geteuid() == 0 {
		t.Skip("running as root, which searches any directory; permission error untested")
	}
	root := testfs.TempDir(t)
	testfs.Write(t, root, "package.json", `{}`)
	locked := testfs.Mkdir(t, root, "locked")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	_, err := Find(filepath.Join(locked, "sub"))
	want := "cannot check " + filepath.Join(locked, "sub", "package.json") + ": permission denied"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %q", err, want)
	}
	if errors.Is(err, ErrNotFound) || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("error %v: want fs.ErrPermission, not ErrNotFound", err)
	}
}

// Relative starts resolve against the physical working directory, as npm's
// process.cwd() does, even when $PWD names a symlink.
func TestFindRelativeIsPhysical(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinked working directories are a Unix concern")
	}
	root := testfs.TempDir(t)
	real := testfs.Write(t, root, "real/package.json", `{}`)
	testfs.Mkdir(t, root, "real/sub")
	testfs.Write(t, root, "logical/package.json", `{}`)
	link := filepath.Join(root, "logical/link")
	if err := os.Symlink(filepath.Join(root, "real/sub"), link); err != nil {
		t.Fatal(err)
	}
	t.Chdir(link)
	t.Setenv("PWD", link)
	for _, start := range []string{".", "", "./"} {
		got, err := Find(start)
		if err != nil {
			t.Fatal(err)
		}
		if got != real {
			t.Errorf("Find(%q) = %s, want the physical parent's %s", start, got, real)
		}
	}
	p, err := Load("../package.json")
	if err != nil {
		t.Fatal(err)
	}
	if p.Path != real || p.Dir != filepath.Dir(real) {
		t.Errorf("Load(relative): Path=%s Dir=%s, want %s", p.Path, p.Dir, real)
	}
}

type loadCase struct {
	name    string
	content string
	// On success:
	pkgName, version string
	scripts          []Script
	// On failure: the exact message, with PATH standing for the file's path.
	err string
}

func TestLoad(t *testing.T) {
	s := func(kv ...string) []Script {
		var out []Script
		for i := 0; i < len(kv); i += 2 {
			out = append(out, Script{kv[i], kv[i+1]})
		}
		return out
	}
	tests := []loadCase{
		{name: "basic", content: `{"name":"app","version":"1.2.3","scripts":{"start":"node server.js","test":"jest"}}`,
			pkgName: "app", version: "1.2.3", scripts: s("start", "node server.js", "test", "jest")},
		{name: "no scripts key", content: `{"name":"app"}`, pkgName: "app"},
		{name: "empty scripts", content: `{"scripts":{}}`},
		{name: "empty object", content: " \t\r\n{}\n"},
		{name: "BOM accepted", content: "\xEF\xBB\xBF{\"name\":\"bom\",\"scripts\":{\"a\":\"b\"}}",
			pkgName: "bom", scripts: s("a", "b")},
		{name: "name and version not strings are absent", content: `{"name":{"x":1},"version":1.5,"scripts":{"a":"b"}}`,
			scripts: s("a", "b")},
		{name: "null name", content: `{"name":null,"version":["1"]}`},
		{name: "escapes in values", content: `{"name":"\u0061pp","scripts":{"a":"echo \"hi\"\\n\t\/ \u00e9 \ud83d\ude00"}}`,
			pkgName: "app", scripts: s("a", "echo \"hi\"\\n\t/ é 😀")},
		{name: "control escapes", content: `{"scripts":{"a":"\b\f\n\r\t"}}`, scripts: s("a", "\b\f\n\r\t")},

		// Duplicates: last value wins, first position stays.
		{name: "duplicate top-level scripts: last object whole", content: `{"scripts":{"a":"1","b":"2"},"name":"x","scripts":{"c":"3"}}`,
			pkgName: "x", scripts: s("c", "3")},
		{name: "duplicate top-level: earlier bad scripts ignored", content: `{"scripts":[1],"scripts":{"a":"b"}}`,
			scripts: s("a", "b")},
		{name: "duplicate top-level: last bad scripts fails", content: `{"scripts":{"a":"b"},"scripts":"x"}`,
			err: `"scripts" in PATH must be an object`},
		{name: "duplicate name and version: last wins", content: `{"name":"a","version":"1","name":"b","version":"2"}`,
			pkgName: "b", version: "2"},
		{name: "duplicate name: last not a string", content: `{"name":"a","name":5}`},
		{name: "duplicate script keys", content: `{"scripts":{"a":"1","b":"2","a":"3","c":"4","b":"5"}}`,
			scripts: s("a", "3", "b", "5", "c", "4")},
		{name: "duplicate script: earlier non-string ignored", content: `{"scripts":{"a":1,"b":"x","a":"2"}}`,
			scripts: s("a", "2", "b", "x")},
		{name: "duplicate script: last non-string fails", content: `{"scripts":{"a":"1","a":null}}`,
			err: `script "a" in PATH must be a string, not null`},
		{name: "duplicate script keys beyond the linear search", content: manyDupScripts(),
			scripts: manyDupScriptsWant()},

		// JavaScript property order.
		{name: "integer-like keys first, ascending",
			content: `{"scripts":{"b":"1","10":"2","2":"3","a":"4","01":"5","-1":"6","0":"7","4294967294":"8","4294967295":"9","1.5":"10","1e3":"11"," 1":"12"}}`,
			scripts: s("0", "7", "2", "3", "10", "2", "4294967294", "8",
				"b", "1", "a", "4", "01", "5", "-1", "6", "4294967295", "9", "1.5", "10", "1e3", "11", " 1", "12")},
		{name: "duplicate integer key", content: `{"scripts":{"x":"1","7":"a","3":"b","7":"c"}}`,
			scripts: s("3", "b", "7", "c", "x", "1")},

		// Keys compare after unescaping.
		{name: "escaped key duplicates plain key", content: `{"scripts":{"a":"1","\u0061":"2","b":"3"}}`,
			scripts: s("a", "2", "b", "3")},
		{name: "escaped top-level scripts key", content: `{"scr\u0069pts":{"x":"y"},"n\u0061me":"n"}`,
			pkgName: "n", scripts: s("x", "y")},
		{name: "escaped integer key", content: `{"scripts":{"z":"1","\u0035":"2"}}`, scripts: s("5", "2", "z", "1")},
		{name: "unicode keys", content: `{"scripts":{"\u00e9":"1","é":"2","\ud83d\ude00":"3","\\":"4","\"":"5"}}`,
			scripts: s("é", "2", "😀", "3", `\`, "4", `"`, "5")},
		{name: "lone surrogates become U+FFFD", content: `{"scripts":{"a":"\ud800","b":"\udc00x","c":"\ud800\u0061","d":"\ud83d\ud83d\ude00"}}`,
			scripts: s("a", "\uFFFD", "b", "\uFFFDx", "c", "\uFFFDa", "d", "\uFFFD😀")},
		{name: "invalid UTF-8 replaced per WHATWG", content: "{\"scripts\":{\"k\xff\":\"\xe2\x82A\xf0\x9f\x98\xc0\xaf\xed\xa0\x80\\n\xe2\"}}",
			scripts: s("k\uFFFD", "\uFFFDA\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\n\uFFFD")},
		{name: "invalid UTF-8 without escapes", content: "{\"scripts\":{\"a\":\"\xe2\x82A\xc0\xaf\xf4\x90\x80\x80|\xf4\x8f\xbf\xbf\xed\x9f\xbf\xe0\xa0\x80\xf0\x90\x80\x80\"}}",
			scripts: s("a", "\uFFFDA\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD|\U0010FFFF\uD7FF\u0800\U00010000")},
		{name: "lone surrogates in top-level keys", content: `{"n\ud800\u0061me":"x","\ud800\u0061":1}`},
		{name: "__proto__ is an ordinary key", content: `{"scripts":{"__proto__":"p","constructor":"c"}}`,
			scripts: s("__proto__", "p", "constructor", "c")},
		{name: "empty script name and command", content: `{"scripts":{"":""}}`, scripts: s("", "")},

		// Invalid JSON, with exact positions.
		{name: "missing comma detected on line 3", content: "{\n  \"a\": 1,\n  \"b\": 2 \"c\": 3\n}",
			err: `invalid JSON in PATH at line 3, column 10: invalid character '"' after object key:value pair`},
		{name: "missing comma at end of line 3", content: "{\n  \"name\": \"x\",\n  \"version\": \"1\"\n  \"scripts\": {}\n}",
			err: `invalid JSON in PATH at line 4, column 3: invalid character '"' after object key:value pair`},
		{name: "trailing comma", content: "{\n  \"scripts\": {\n    \"a\": \"b\",\n  }\n}",
			err: `invalid JSON in PATH at line 4, column 3: invalid character '}' looking for beginning of object key string`},
		{name: "empty file", content: "",
			err: `invalid JSON in PATH at line 1, column 1: unexpected end of JSON input`},
		{name: "only whitespace", content: "  \n ",
			err: `invalid JSON in PATH at line 2, column 2: unexpected end of JSON input`},
		{name: "only a BOM", content: "\xEF\xBB\xBF",
			err: `invalid JSON in PATH at line 1, column 1: unexpected end of JSON input`},
		{name: "truncated file", content: "{\n  \"scripts\": {\n    \"a\": \"b\"",
			err: `invalid JSON in PATH at line 3, column 13: unexpected end of JSON input`},
		{name: "truncated in a string", content: `{"name": "ab`,
			err: `invalid JSON in PATH at line 1, column 13: unexpected end of JSON input`},
		{name: "column counts characters", content: `{"name": "üü", x}`,
			err: `invalid JSON in PATH at line 1, column 16: invalid character 'x' looking for beginning of object key string`},
		{name: "position after a BOM", content: "\xEF\xBB\xBF{,}",
			err: `invalid JSON in PATH at line 1, column 2: invalid character ',' looking for beginning of object key string`},
		{name: "leading zero", content: `{"a": 01}`,
			err: `invalid JSON in PATH at line 1, column 8: invalid character '1' after object key:value pair`},
		{name: "raw tab in string", content: "{\"a\": \"x\ty\"}",
			err: `invalid JSON in PATH at line 1, column 9: invalid character '\t' in string literal`},
		{name: "trailing garbage", content: `{"a": 1} x`,
			err: `invalid JSON in PATH at line 1, column 10: invalid character 'x' after top-level value`},
		{name: "comments are not JSON", content: "{\n// c\n}",
			err: `invalid JSON in PATH at line 2, column 1: invalid character '/' looking for beginning of object key string`},
		{name: "CRLF lines", content: "{\r\n\"a\":1\r\n,,}",
			err: `invalid JSON in PATH at line 3, column 2: invalid character ',' looking for beginning of object key string`},
		{name: "single quotes", content: `{'a': 1}`,
			err: `invalid JSON in PATH at line 1, column 2: invalid character '\'' looking for beginning of object key string`},
		{name: "bad escape", content: `{"a": "\x"}`,
			err: `invalid JSON in PATH at line 1, column 9: invalid character 'x' in string escape code`},

		// Wrong shapes.
		{name: "top level array", content: `[{"scripts":{}}]`, err: `top level of PATH must be an object, not an array`},
		{name: "top level string", content: `"x"`, err: `top level of PATH must be an object, not a string`},
		{name: "top level null", content: `null`, err: `top level of PATH must be an object, not null`},
		{name: "top level number", content: ` 1 `, err: `top level of PATH must be an object, not a number`},
		{name: "scripts array", content: `{"scripts":["a"]}`, err: `"scripts" in PATH must be an object`},
		{name: "scripts string", content: `{"scripts":"a"}`, err: `"scripts" in PATH must be an object`},
		{name: "scripts number", content: `{"scripts":1}`, err: `"scripts" in PATH must be an object`},
		{name: "scripts null", content: `{"scripts":null}`, err: `"scripts" in PATH must be an object`},
		{name: "scripts bool", content: `{"scripts":false}`, err: `"scripts" in PATH must be an object`},
		{name: "script number", content: `{"scripts":{"ok":"x","build":1}}`, err: `script "build" in PATH must be a string, not a number`},
		{name: "script object", content: `{"scripts":{"build":{"cmd":"x"}}}`, err: `script "build" in PATH must be a string, not an object`},
		{name: "script array", content: `{"scripts":{"build":["x"]}}`, err: `script "build" in PATH must be a string, not an array`},
		{name: "script bool", content: `{"scripts":{"build":true}}`, err: `script "build" in PATH must be a string, not a boolean`},
		{name: "script name quoted in error", content: `{"scripts":{"a\"b\n":0}}`, err: `script "a\"b\n" in PATH must be a string, not a number`},
	}
	dir := testfs.TempDir(t)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := testfs.Write(t, dir, fmt.Sprintf("%d/package.json", i), tt.content)
			p, err := Load(path)
			if tt.err != "" {
				if err == nil {
					t.Fatalf("Load succeeded, want error %q", tt.err)
				}
				if want := strings.ReplaceAll(tt.err, "PATH", path); err.Error() != want {
					t.Errorf("error\n got %q\nwant %q", err, want)
				}
				var pe *Error
				if !errors.As(err, &pe) || pe.Path != path {
					t.Errorf("error %#v is not an *Error with Path %s", err, path)
				}
				testfs.CheckOneLine(t, err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Path != path || p.Dir != filepath.Dir(path) {
				t.Errorf("Path=%s Dir=%s, want %s", p.Path, p.Dir, path)
			}
			if p.Name != tt.pkgName || p.Version != tt.version {
				t.Errorf("name@version = %q@%q, want %q@%q", p.Name, p.Version, tt.pkgName, tt.version)
			}
			if !reflect.DeepEqual(p.Scripts, tt.scripts) && !(len(p.Scripts) == 0 && len(tt.scripts) == 0) {
				t.Errorf("scripts\n got %q\nwant %q", p.Scripts, tt.scripts)
			}
		})
	}
}

// manyDupScripts has enough keys that Load switches from a linear search to
// a map while deduplicating, with duplicates on both sides of the switch.
func manyDupScripts() string {
	var b strings.Builder
	b.WriteString(`{"scripts":{`)
	for i := range 40 {
		fmt.Fprintf(&b, `"s%d":"v%d",`, i, i)
	}
	b.WriteString(`"s3":"again3","s30":"again30","s0":"again0"}}`)
	return b.String()
}

func manyDupScriptsWant() []Script {
	var out []Script
	for i := range 40 {
		out = append(out, Script{fmt.Sprintf("s%d", i), fmt.Sprintf("v%d", i)})
	}
	out[0].Command, out[3].Command, out[30].Command = "again0", "again3", "again30"
	return out
}

func TestScriptAndField(t *testing.T) {
	path := testfs.Write(t, testfs.TempDir(t), "package.json", `{
  "name": "app",
  "config": {"port": 80},
  "scripts": {"a": "x", "b": ""},
  "engines": {"node": ">=18"},
  "config": {"port": 8080},
  "bin": "./cli.js",
  "\u0077orkspaces": [1, 2],
  "directories": null,
  "\ud800\u0061": "x",
  "description": "not kept"
}`)
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, want string
		ok         bool
	}{{"a", "x", true}, {"b", "", true}, {"c", "", false}, {"A", "", false}} {
		if got, ok := p.Script(tt.name); got != tt.want || ok != tt.ok {
			t.Errorf("Script(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	for _, tt := range []struct {
		key, want string
		ok        bool
	}{
		{"config", `{"port": 8080}`, true}, // last occurrence
		{"engines", `{"node": ">=18"}`, true},
		{"bin", `"./cli.js"`, true},    // raw text keeps quotes
		{"workspaces", `[1, 2]`, true}, // key matched after unescaping
		{"directories", `null`, true},
		{"name", `"app"`, true},
		{"\uFFFDa", "", false},     // checked, but not a key nrun reads
		{"description", "", false}, // the same
		{"missing", "", false},
		{"port", "", false}, // not top level
	} {
		if got, ok := p.Field(tt.key); got != tt.want || ok != tt.ok {
			t.Errorf("Field(%q) = %q, %v; want %q, %v", tt.key, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLoadFileErrors(t *testing.T) {
	dir := testfs.TempDir(t)

	t.Run("missing file", func(t *testing.T) {
		path := filepath.Join(dir, "none", "package.json")
		_, err := Load(path)
		if err == nil {
			t.Fatal("Load of a missing file succeeded")
		}
		if want := "cannot read " + path + ": "; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %q does not start with %q", err, want)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("error %v does not wrap fs.ErrNotExist", err)
		}
		var pe *Error
		if !errors.As(err, &pe) || pe.Path != path {
			t.Errorf("error %#v is not an *Error with Path %s", err, path)
		}
		testfs.CheckOneLine(t, err)
	})

	t.Run("directory", func(t *testing.T) {
		path := testfs.Mkdir(t, dir, "d/package.json")
		_, err := Load(path)
		if err == nil || err.Error() != path+" is a directory" {
			t.Fatalf("error = %v, want %q", err, path+" is a directory")
		}
		testfs.CheckOneLine(t, err)
	})

	t.Run("unreadable", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("file modes do not deny reading on windows")
		}
		if os.Geteuid() == 0 {
			t.Skip("running as root, which reads files whatever their mode; permission error untested")
		}
		path := testfs.Write(t, dir, "perm/package.json", `{}`)
		if err := os.Chmod(path, 0); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if err == nil {
			t.Fatal("Load of an unreadable file succeeded")
		}
		if want := "cannot read " + path + ": permission denied"; err.Error() != want {
			t.Errorf("error = %q, want %q", err, want)
		}
		if !errors.Is(err, fs.ErrPermission) {
			t.Errorf("error %v does not wrap fs.ErrPermission", err)
		}
		testfs.CheckOneLine(t, err)
	})

	t.Run("too large", func(t *testing.T) {
		path := testfs.Write(t, dir, "big/package.json", "")
		const size = 64<<20 + 1
		if err := os.Truncate(path, size); err != nil { // sparse: nothing is written
			t.Fatal(err)
		}
		start := time.Now()
		_, err := Load(path)
		want := fmt.Sprintf("%s is too large (%d bytes; the limit is 64 MiB)", path, size)
		if err == nil || err.Error() != want {
			t.Fatalf("error = %v, want %q", err, want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("rejecting a huge file took %v; it must not be read", d)
		}
		testfs.CheckOneLine(t, err)
	})
}

// nest returns n nested arrays.
func nest(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

func TestDeepNesting(t *testing.T) {
	dir := testfs.TempDir(t)
	tests := []struct {
		name, content, err string
	}{
		{name: "100000 levels in an unrelated key",
			content: `{"scripts":{"a":"b"},"x":` + nest(100000) + `}`,
			err:     "PATH nests arrays and objects deeper than 10000 levels (line 1, column 10025)"},
		{name: "objects count too",
			content: "{\n\"x\":" + strings.Repeat(`{"a":`, 10001) + "1" + strings.Repeat("}", 10001) + "}",
			err:     "PATH nests arrays and objects deeper than 10000 levels (line 2, column 50000)"},
		{name: "deep and invalid",
			content: `{"x":` + strings.Repeat("[", 100000),
			err:     "PATH nests arrays and objects deeper than 10000 levels (line 1, column 10005)"},
		{name: "exactly at the limit", content: `{"scripts":{"a":"b"},"x":` + nest(9999) + `}`},
		{name: "many brackets side by side", content: `{"scripts":{"a":"b"},"x":[` + strings.Repeat("[],", 30000) + `[]]}`},
		{name: "brackets inside strings", content: `{"scripts":{"a":"b"},"x":"` + strings.Repeat(`[{\"`, 30000) + `"}`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := testfs.Write(t, dir, fmt.Sprintf("%d/package.json", i), tt.content)
			start := time.Now()
			p, err := Load(path)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("Load took %v", d)
			}
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got, _ := p.Script("a"); got != "b" {
					t.Errorf(`Script("a") = %q, want "b"`, got)
				}
				return
			}
			if want := strings.ReplaceAll(tt.err, "PATH", path); err == nil || err.Error() != want {
				t.Fatalf("error = %v, want %q", err, want)
			}
			testfs.CheckOneLine(t, err)
		})
	}
}

// bigPackage returns a package.json with n scripts padded with an unrelated
// key to at least size bytes.
func bigPackage(n, size int) string {
	var b strings.Builder
	b.Grow(size + 100*n)
	b.WriteString(`{"name":"big","version":"1.0.0","scripts":{`)
	cmd := strings.Repeat("x", max(0, size/(2*max(n, 1))-30))
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"script-%d":"echo %d %s"`, i, i, cmd)
	}
	b.WriteString(`},"filler":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"k":"value %d with some \"escaped\" text","n":[1,2.5e3,true,null]}`, i)
	}
	b.WriteString("]}")
	return b.String()
}

func TestLoad10MB(t *testing.T) {
	path := testfs.Write(t, testfs.TempDir(t), "package.json", bigPackage(1000, 10<<20))
	start := time.Now()
	p, err := Load(path)
	d := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	// How fast is BenchmarkLoad1MB's and bench/'s question; a timed
	// assertion would only measure how busy the machine is.
	t.Logf("loaded 10 MB in %v", d)
	if len(p.Scripts) != 1000 {
		t.Fatalf("got %d scripts, want 1000", len(p.Scripts))
	}
	if p.Scripts[0].Name != "script-0" || p.Scripts[999].Name != "script-999" || p.Name != "big" {
		t.Errorf("wrong content: first %q, last %q, name %q", p.Scripts[0].Name, p.Scripts[999].Name, p.Name)
	}
	if raw, ok := p.Field("filler"); ok {
		t.Errorf("Field(filler) returned %d bytes: a key nrun does not read is kept", len(raw))
	}
}

// nodeTruth is what JSON.parse makes of one file, as printed by node.
type nodeTruth struct {
	Name, Version string
	Scripts       [][2]string
	Error         string
}

const nodeProgram = `
const fs = require("fs");
const out = process.argv.slice(1).map((f) => {
  try {
    // npm decodes the file as UTF-8 and strips a leading BOM.
    const v = JSON.parse(fs.readFileSync(f, "utf8").replace(/^\uFEFF/, ""));
    const str = (x) => (typeof x === "string" ? x : "");
    const s = v.scripts && typeof v.scripts === "object" ? v.scripts : {};
    return { Name: str(v.name), Version: str(v.version), Scripts: Object.keys(s).map((k) => [k, s[k]]) };
  } catch (e) {
    return { Error: String(e) };
  }
});
process.stdout.write(JSON.stringify(out));
`

// askNode runs node once for all files.
func askNode(t *testing.T, files []string) []nodeTruth {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH: the comparison with JSON.parse is skipped")
	}
	out, err := exec.Command(node, append([]string{"-e", nodeProgram}, files...)...).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var truth []nodeTruth
	if err := json.Unmarshal(out, &truth); err != nil {
		t.Fatalf("reading node's answer: %v", err)
	}
	if len(truth) != len(files) {
		t.Fatalf("node answered for %d files, want %d", len(truth), len(files))
	}
	return truth
}

func compareWithNode(t *testing.T, files []string, pkgs []*Package) {
	t.Helper()
	truth := askNode(t, files)
	for i, f := range files {
		want := truth[i]
		if want.Error != "" {
			t.Errorf("%s: node failed: %s", f, want.Error)
			continue
		}
		p := pkgs[i]
		if p.Name != want.Name || p.Version != want.Version {
			t.Errorf("%s: name@version = %q@%q, node says %q@%q", f, p.Name, p.Version, want.Name, want.Version)
		}
		got := make([][2]string, len(p.Scripts))
		for j, s := range p.Scripts {
			got[j] = [2]string{s.Name, s.Command}
		}
		if !reflect.DeepEqual(got, want.Scripts) && !(len(got) == 0 && len(want.Scripts) == 0) {
			t.Errorf("%s: scripts differ from JSON.parse\n got %q\nnode %q", f, got, want.Scripts)
		}
	}
}

func TestRealWorldCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "realworld")
	files, err := filepath.Glob(filepath.Join(dir, "*package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("no real-world corpus at %s: skipped", dir)
	}
	pkgs := make([]*Package, len(files))
	for i, f := range files {
		if pkgs[i], err = Load(f); err != nil {
			t.Errorf("Load(%s): %v", f, err)
		}
	}
	if t.Failed() {
		return
	}
	compareWithNode(t, files, pkgs)
}

// TestMatchesJSONParse checks the awkward cases against node itself, so the
// expectations in TestLoad cannot drift from the real thing.
func TestMatchesJSONParse(t *testing.T) {
	dir := testfs.TempDir(t)
	contents := []string{
		`{"scripts":{"b":"1","10":"2","2":"3","a":"4","01":"5","-1":"6","0":"7","4294967294":"8","4294967295":"9","1.5":"10"," 1":"12","b":"13"}}`,
		`{"scripts":{"a":"1"},"name":"x","scripts":{"c":"3","\u0063":"4"},"name":7}`,
		`{"scripts":{"\u00e9":"1","é":"2","\ud83d\ude00":"3","\\":"4","\"":"5","__proto__":"p","":""}}`,
		"{\"scripts\":{\"a\":\"\xe2\x82A\xc0\xaf\xf4\x90\x80\x80\xf0\x80\x80\xe0\x9f\xbf\xc2|\xf4\x8f\xbf\xbf\xed\x9f\xbf\xe0\xa0\x80\xf0\x90\x80\x80\"}}",
		`{"scripts":{"a":"\ud800","b":"\udc00x","c":"\ud800\u0061","d":"\ud83d\ud83d\ude00","e":"\b\f\n\r\t\/"}}`,
		"\xEF\xBB\xBF{\"name\":\"bom\",\"version\":\"1\",\"scripts\":{\"k\xff\":\"\xe2\x82A\xf0\x9f\x98\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xe0\x80\xaf\\n\xe2\"}}",
		manyDupScripts(),
		bigPackage(50, 1000),
	}
	files := make([]string, len(contents))
	pkgs := make([]*Package, len(contents))
	for i, c := range contents {
		files[i] = testfs.Write(t, dir, fmt.Sprintf("%d/package.json", i), c)
		var err error
		if pkgs[i], err = Load(files[i]); err != nil {
			t.Fatalf("Load(%s): %v", files[i], err)
		}
	}
	compareWithNode(t, files, pkgs)
}

// Errors must never be panics; a few hostile inputs in one place.
func TestNoPanics(t *testing.T) {
	dir := testfs.TempDir(t)
	for i, c := range []string{"\x00", "{\"\\", "{\"a\":\"\\u12", "{\"a\":\"\\ud800\\u", "[", "]", "\xEF\xBB", "{\"a\":-}", "{\"a\":1e}", "\"\\u0000\""} {
		path := testfs.Write(t, dir, fmt.Sprintf("%d/package.json", i), c)
		if _, err := Load(path); err == nil {
			t.Errorf("Load(%q) succeeded", c)
		} else {
			testfs.CheckOneLine(t, err)
		}
	}
}

func BenchmarkFind(b *testing.B) {
	root := testfs.TempDir(b)
	testfs.Write(b, root, "package.json", `{}`)
	start := testfs.Mkdir(b, root, "1/2/3/4/5/6/7/8/9/10")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Find(start); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFind50Up finds a package.json 50 directories up.
func BenchmarkFind50Up(b *testing.B) {
	root := testfs.TempDir(b)
	testfs.Write(b, root, "package.json", `{}`)
	deep := make([]string, 50)
	for i := range deep {
		deep[i] = fmt.Sprint(i + 1)
	}
	start := testfs.Mkdir(b, root, strings.Join(deep, "/"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Find(start); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadSmall(b *testing.B) {
	path := testfs.Write(b, testfs.TempDir(b), "package.json", `{
  "name": "my-app",
  "version": "1.4.2",
  "description": "A typical application",
  "main": "index.js",
  "license": "MIT",
  "scripts": {
    "start": "node server.js",
    "dev": "nodemon server.js",
    "build": "tsc -p .",
    "pretest": "npm run lint",
    "test": "jest --coverage",
    "lint": "eslint . --ext .js,.ts",
    "format": "prettier --write ."
  },
  "dependencies": {"express": "^4.19.2", "pg": "^8.11.0"},
  "devDependencies": {"jest": "^29.7.0", "typescript": "^5.4.0", "eslint": "^8.57.0"},
  "engines": {"node": ">=18"}
}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(path); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad1MB(b *testing.B)  { benchmarkLoadBig(b, bigPackage(1000, 1<<20)) }
func BenchmarkLoad10MB(b *testing.B) { benchmarkLoadBig(b, bigPackage(1000, 10<<20)) }

// BenchmarkLoad1MBDescription is bench/run.sh's 1 MB package.json: 1,000
// scripts, 3,000 dependencies and a description that makes up the rest.
func BenchmarkLoad1MBDescription(b *testing.B) { benchmarkLoadBig(b, describedPackage(1<<20)) }

// benchmarkLoadBig loads a package.json with 1,000 scripts. The file is
// new, which would keep Load from mapping it for a while (see settled):
// the benchmark measures what an nrun start meets, a file long written.
func benchmarkLoadBig(b *testing.B, content string) {
	path := testfs.Write(b, testfs.TempDir(b), "package.json", content)
	old := settled
	settled = 0
	b.Cleanup(func() { settled = old })
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := Load(path)
		if err != nil || len(p.Scripts) != 1000 {
			b.Fatal(err, len(p.Scripts))
		}
	}
}

// describedPackage is a package.json of size bytes: 1,000 scripts (noop
// last), 3,000 dependencies, and a description of whatever size is left.
func describedPackage(size int) string {
	var rest strings.Builder
	rest.WriteString(`","scripts":{`)
	for i := range 999 {
		fmt.Fprintf(&rest, `"script-%d":"node tools/task.js --step %d",`, i, i)
	}
	rest.WriteString(`"noop":"true"},"dependencies":{`)
	for i := range 3000 {
		if i > 0 {
			rest.WriteByte(',')
		}
		fmt.Fprintf(&rest, `"dep-%d":"^%d.%d.0"`, i, i%20, i%7)
	}
	rest.WriteString("}}\n")
	head := `{"name":"big","version":"1.0.0","description":"`
	return head + strings.Repeat("x", max(0, size-len(head)-rest.Len())) + rest.String()
}

// mapEverything makes Load map every file it can, however small or new,
// for the rest of the test.
func mapEverything(t testing.TB) {
	oldMin, oldSettled := mapMin, settled
	mapMin, settled = 1, 0
	t.Cleanup(func() { mapMin, settled = oldMin, oldSettled })
}

func TestWorkspacePatterns(t *testing.T) {
	dir := testfs.TempDir(t)
	for _, tt := range []struct {
		field    string
		want     []string
		declared bool
		err      string
	}{
		{`["a/*","!b"]`, []string{"a/*", "!b"}, true, ""},
		{`{"packages":["x"],"nohoist":["y"]}`, []string{"x"}, true, ""},
		{`{"packages":"x","packages":["last"]}`, []string{"last"}, true, ""},
		{`[]`, nil, true, ""},
		{`false`, nil, false, ""},
		{`null`, nil, false, ""},
		{`0`, nil, false, ""},
		{`""`, nil, false, ""},
		{`"a/*"`, nil, true, "must be an array or an object with a \"packages\" array"},
		{`{"nohoist":["x"]}`, nil, true, "workspaces config expects an Array"},
		{`["a",1]`, nil, true, "must list strings, not a number"},
	} {
		p, err := Load(testfs.Write(t, dir, "package.json", `{"workspaces":`+tt.field+`}`))
		if err != nil {
			t.Fatal(err)
		}
		got, declared, err := p.WorkspacePatterns()
		if tt.err != "" {
			var pe *Error
			if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), p.Path) {
				t.Errorf("%s: error %v, want an *Error naming the file with %q", tt.field, err, tt.err)
			}
			continue
		}
		if err != nil || declared != tt.declared || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %q, %v, %v; want %q, %v", tt.field, got, declared, err, tt.want, tt.declared)
		}
	}
	p, err := Load(testfs.Write(t, dir, "package.json", `{}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, declared, err := p.WorkspacePatterns(); got != nil || declared || err != nil {
		t.Errorf("absent: %q, %v, %v", got, declared, err)
	}
}

func TestLoadName(t *testing.T) {
	dir := testfs.TempDir(t)
	for content, want := range map[string]string{
		`{"name":"a","name":"b"}`:             "b",
		`{"name":5}`:                          "",
		`{"scripts":[],"name":"bad scripts"}`: "bad scripts", // Load refuses this one
		"\uFEFF{\"name\":\"\\u0041\"}":        "A",
		`{"version":"1.0.0"}`:                 "",
	} {
		got, err := LoadName(testfs.Write(t, dir, "package.json", content))
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", content, got, err, want)
		}
	}
	_, err := LoadName(testfs.Write(t, dir, "package.json", `[]`))
	if err == nil || !strings.Contains(err.Error(), "must be an object") {
		t.Errorf("an array: %v", err)
	}
	_, err = LoadName(filepath.Join(dir, "missing", "package.json"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v, want fs.ErrNotExist", err)
	}
}
