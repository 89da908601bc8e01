package minimatch_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/nrunjs/nrun/internal/minimatch"
)

func ExampleMatch() {
	for _, file := range []string{"packages/a", "packages/a/b", "packages/.hidden"} {
		fmt.Println(file, minimatch.Match("packages/*", file, minimatch.Options{}))
	}
	// A directory on the way to a match matches partially.
	fmt.Println(minimatch.Match("packages/*/src", "packages/a", minimatch.Options{Partial: true}))
	// Output:
	// packages/a true
	// packages/a/b false
	// packages/.hidden false
	// true
}

func ExampleCompile() {
	// A leading "!" negates, unless NoNegate.
	p := minimatch.Compile("!build:*", minimatch.Options{})
	q := minimatch.Compile("!build:*", minimatch.Options{NoNegate: true})
	fmt.Println(p.Match("build:js"), p.Match("test"), q.Match("!build:js"))
	// Output: false true true
}

func ExampleExpandBraces() {
	fmt.Println(minimatch.ExpandBraces("{apps,tools}/{a,b}"))
	fmt.Println(minimatch.ExpandBraces("{a}"))
	// Output:
	// [apps/a apps/b tools/a tools/b]
	// [{a}]
}

func ExampleGlobDirs() {
	root, err := os.MkdirTemp("", "glob")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(root)
	for _, d := range []string{"packages/a/src", "packages/b", "packages/.cache", "packages/a/node_modules/x", "README"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			panic(err)
		}
	}
	dirs := minimatch.GlobDirs(root, []string{"packages/**"}, []string{"packages/b"})
	slices.Sort(dirs)
	fmt.Println(dirs)
	// Output: [packages packages/a packages/a/src]
}
