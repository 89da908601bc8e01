//go:build unix

package runner

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestLookPath(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mk("a/tool", 0o644)
	exe := mk("b/tool", 0o755)
	mk("c/tool/x", 0o755) // c/tool is a directory
	mk("here", 0o755)
	a, b, c := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")

	for _, tt := range []struct {
		name, path, want string
		err              error
	}{
		{"tool", a + ":" + b, exe, nil},        // a non-executable file is skipped
		{"tool", c + ":" + b, exe, nil},        // so is a directory
		{"tool", a, "", ErrNotExecutable},      // only a non-executable one: 126
		{"tool", c, "", ErrNotFound},           // only a directory: 127, as sh
		{"c/tool", "", "", ErrNotExecutable},   // a directory by its path: 126, as sh
		{"nope", a + ":" + b, "", ErrNotFound}, //
		{"here", ":" + a, "here", nil},         // an empty entry is the directory itself
		{"./here", "", "./here", nil},          // a slash: relative to dir, no search
		{"a/tool", b, "", ErrNotExecutable},    //
		{"./nope", b, "", ErrNotFound},         //
	} {
		got, err := LookPath(tt.name, tt.path, dir)
		if !errors.Is(err, tt.err) || (tt.err == nil && got != tt.want) {
			t.Errorf("LookPath(%q, %q) = %q, %v; want %q, %v", tt.name, tt.path, got, err, tt.want, tt.err)
		}
	}
}
