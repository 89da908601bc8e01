package pnpmyaml_test

import (
	"fmt"

	"github.com/nrunjs/nrun/internal/pnpmyaml"
)

func ExamplePackages() {
	file := []byte(`# pnpm-workspace.yaml
packages:
  - "packages/*"
  - 'tools/it''s'
  - "caf\u00e9/\x41pp"   # escapes are decoded
  - apps/web
    apps/api            # a plain item goes on over lines
catalog:
  react: ^19
`)
	list, err := pnpmyaml.Packages("pnpm-workspace.yaml", file)
	for _, p := range list {
		fmt.Printf("%q\n", p)
	}
	fmt.Println(err)
	// Output:
	// "packages/*"
	// "tools/it's"
	// "café/App"
	// "apps/web apps/api"
	// <nil>
}

func ExamplePackages_refused() {
	file := []byte("packages:\n  - packages/*\n  - !packages/private\n")
	_, err := pnpmyaml.Packages("pnpm-workspace.yaml", file)
	fmt.Println(err)
	// Output:
	// pnpm-workspace.yaml line 3: an item starting with "!" is a YAML tag, which is not supported; quote a pattern that starts with "!"
}
