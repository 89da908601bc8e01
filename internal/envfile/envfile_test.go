package envfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestParseRejects covers what nrun refuses where Node would mangle the
// value: the error names the line the assignment starts on.
func TestParseRejects(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"A=1\nB=x\x00y\n", "line 2: NUL byte in the value of B"},
		{"A=1\r\n\r\nB\x00=1\n", "line 3: NUL byte in the name"},
		{"A=1\n# \xff in a comment is fine\nB=caf\xe9\n", "line 3: invalid UTF-8 in the value of B"},
		{"A=\"one\ntwo \xc3\"\n", "line 1: invalid UTF-8 in the value of A"},
		{"\xff\xfeA\x00=\x001\x00\n\x00", "line 1: NUL byte in the name"}, // UTF-16
		{"K E\x00Y=1\n", "line 1: NUL byte in the name"},
		{"K E\xffY=1\n", "line 1: invalid UTF-8 in the name"},
		{"K E Y=\xff\n", `line 1: invalid UTF-8 in the value of "K E Y"`},
	} {
		_, err := Parse([]byte(c.data))
		var e *Error
		if !errors.As(err, &e) || err.Error() != c.want {
			t.Errorf("Parse(%q) = %v, want %q", c.data, err, c.want)
		}
	}
	// What is never read cannot be wrong.
	if _, err := Parse([]byte("# caf\xe9 \x00\nA=1\n")); err != nil {
		t.Errorf("a comment with NUL and Latin-1: %v", err)
	}
}

func TestParseLines(t *testing.T) {
	kvs, err := Parse([]byte("A=1\r\n\r\nB=\"x\ny\"\nC=3\n  # c\n  D=4"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, kv := range kvs {
		got = append(got, kv.Key+"@"+string(rune('0'+kv.Line)))
	}
	// "  # c\n  D" is one name (an indented "#" is no comment), from line 5.
	if want := []string{"A@1", "B@3", "C@5", "# c\n  D@6"}; !slices.Equal(got, want) {
		t.Errorf("names and lines: %q, want %q", got, want)
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoad(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.env":   "A=a\nB=a\nX=a1\nX=a2\n",
		"b.env":   "B=b\nC=b\n",
		"bad.env": "OK=1\n\nBAD=\x00\n",
	})
	at := func(name string) string { return filepath.Join(dir, name) }

	loaded, err := Load([]File{{Path: at("a.env")}, {Path: at("gone.env"), IfExists: true}, {Path: at("b.env")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded) != 3 || loaded[0].Missing || !loaded[1].Missing || loaded[2].Missing {
		t.Fatalf("loaded %+v", loaded)
	}
	var merged []string
	for _, kv := range Merge(loaded) {
		merged = append(merged, kv.Key+"="+kv.Value+"@"+filepath.Base(kv.File))
	}
	if want := []string{"A=a@a.env", "B=b@b.env", "C=b@b.env", "X=a2@a.env"}; !slices.Equal(merged, want) {
		t.Errorf("merged %q, want %q", merged, want)
	}

	for _, c := range []struct {
		file  File
		want  string
		cause error
	}{
		{File{Path: at("gone.env")}, at("gone.env") + ": not found", fs.ErrNotExist},
		{File{Path: at("bad.env")}, at("bad.env") + ": line 3: NUL byte in the value of BAD", nil},
		{File{Path: at("bad.env"), IfExists: true}, at("bad.env") + ": line 3: NUL byte in the value of BAD", nil},
	} {
		_, err := Load([]File{{Path: at("a.env")}, c.file})
		if err == nil || err.Error() != c.want || c.cause != nil && !errors.Is(err, c.cause) {
			t.Errorf("Load(%+v) = %v, want %q", c.file, err, c.want)
		}
	}
	// A directory is there but is no file: an error even if it exists.
	_, err = Load([]File{{Path: dir, IfExists: true}})
	if err == nil || !strings.HasPrefix(err.Error(), dir+": ") || strings.Count(err.Error(), dir) != 1 {
		t.Errorf("Load(directory) = %v", err)
	}
}

func TestAdded(t *testing.T) {
	vars := []KV{{Key: "A", Value: "file"}, {Key: "EMPTY", Value: "file"}, {Key: "NEW", Value: "file"}}
	environ := []string{"A=env", "EMPTY="}
	got := Apply(environ, vars)
	if want := []string{"A=env", "EMPTY=", "NEW=file"}; !slices.Equal(got, want) {
		t.Errorf("Apply = %q, want %q", got, want)
	}
	if &got[0] == &environ[0] {
		t.Error("Apply changed the caller's slice in place")
	}
	// Names that differ only in case are one name on Windows, where the
	// first in Node's order (sorted by bytes) is taken.
	got = Apply([]string{"Path=x"}, []KV{{Key: "PATH", Value: "file"}, {Key: "Zed", Value: "1"}, {Key: "zED", Value: "2"}})
	want := []string{"Path=x", "PATH=file", "Zed=1", "zED=2"}
	if runtime.GOOS == "windows" {
		want = []string{"Path=x", "Zed=1"}
	}
	if !slices.Equal(got, want) {
		t.Errorf("Apply with case variants = %q, want %q", got, want)
	}
}
