// Package testfs holds the file helpers that tests of several packages
// share: temporary trees of files, directories and symlinks, the check
// that an error follows nrun's conventions, and the tools tests install
// once into the user's cache directory (an npm project, pnpm). Only tests
// import it.
package testfs

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TempDir returns a temporary directory with symlinks resolved, so that
// paths built from it compare equal to what getcwd reports (macOS /tmp).
func TempDir(t testing.TB) string {
	t.Helper()
	d, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Write writes content to dir/rel, making the directories on the way, and
// returns the file's path.
func Write(t testing.TB, dir, rel, content string) string {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Mkdir makes dir/rel and the directories on the way, and returns its path.
func Mkdir(t testing.TB, dir, rel string) string {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// Tree makes a fresh temporary directory holding files (slash-separated
// path → content) and returns it: a content of "" makes a directory, and
// "->target" a symlink to target; the test is skipped where symlinks
// cannot be made.
func Tree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := TempDir(t)
	names := make([]string, 0, len(files))
	for rel := range files {
		names = append(names, rel)
	}
	slices.Sort(names) // targets before links, parents before children
	for _, rel := range names {
		content := files[rel]
		switch {
		case content == "":
			Mkdir(t, dir, rel)
		case strings.HasPrefix(content, "->"):
			p := filepath.Join(dir, filepath.FromSlash(rel))
			Mkdir(t, filepath.Dir(p), ".")
			if err := os.Symlink(filepath.FromSlash(content[2:]), p); err != nil {
				t.Skipf("SKIP: cannot make symlinks here: %v", err)
			}
		default:
			Write(t, dir, rel, content)
		}
	}
	return dir
}

// CheckOneLine asserts the conventions every error of nrun's follows: one
// line, starting in lowercase, without a trailing period.
func CheckOneLine(t testing.TB, err error) {
	t.Helper()
	msg := err.Error()
	if strings.ContainsAny(msg, "\r\n") || strings.HasSuffix(msg, ".") || msg == "" {
		t.Errorf("error is not one line without a trailing period: %q", msg)
		return
	}
	if first := msg[:1]; first != strings.ToLower(first) {
		t.Errorf("error does not start in lowercase: %q", msg)
	}
}
