//go:build unix

package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLookPath finds a program at the end of a PATH the way nrun's
// environment builds it: the node_modules/.bin of the package and each
// ancestor (absent, as in a fresh package), then the system directories.
// Each miss is one stat; the hit is a stat and an access(2).
func BenchmarkLookPath(b *testing.B) {
	dir := b.TempDir()
	sys := filepath.Join(dir, "usr", "bin")
	if err := os.MkdirAll(sys, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sys, "node"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		b.Fatal(err)
	}
	path := strings.Join(append(BinDirs(filepath.Join(dir, "pkg")), filepath.Join(dir, "usr", "local", "bin"), sys), string(os.PathListSeparator))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LookPath("node", path, dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBinDirs: the node_modules/.bin list for a package 10 levels deep.
func BenchmarkBinDirs(b *testing.B) {
	dir := filepath.Join(string(filepath.Separator)+"home", "u", "src", "org", "repo", "packages", "a", "b", "c", "d")
	b.ReportAllocs()
	for b.Loop() {
		BinDirs(dir)
	}
}
