package main

import (
	"go/build"
	"slices"
	"testing"
)

// TestSameImports: floordeps links what nrun links. A package cmd/nrun
// starts to import, on this platform, must be imported here too, or the
// bench would credit its init to nrun's own work.
func TestSameImports(t *testing.T) {
	nrun, err := build.Default.Import("github.com/nrunjs/nrun/cmd/nrun", ".", 0)
	if err != nil {
		t.Fatal(err)
	}
	here, err := build.Default.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range nrun.Imports {
		if !slices.Contains(here.Imports, p) {
			t.Errorf("cmd/nrun imports %s; bench/floordeps does not", p)
		}
	}
	for _, p := range here.Imports {
		if !slices.Contains(nrun.Imports, p) {
			t.Errorf("bench/floordeps imports %s; cmd/nrun does not", p)
		}
	}
}
