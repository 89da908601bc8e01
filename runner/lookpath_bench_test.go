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
// ancestor as npm would have them (absent, as in a fresh package), then
// the system directories.
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
	var bins []string
	for d := filepath.Join(dir, "pkg"); d != filepath.Dir(d); d = filepath.Dir(d) {
		bins = append(bins, filepath.Join(d, "node_modules", ".bin"))
	}
	path := strings.Join(append(bins, filepath.Join(dir, "usr", "local", "bin"), sys), string(os.PathListSeparator))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LookPath("node", path, dir); err != nil {
			b.Fatal(err)
		}
	}
}
