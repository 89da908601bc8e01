package workspaces_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/nrunjs/nrun/internal/workspaces"
	"github.com/nrunjs/nrun/pkgjson"
)

func Example() {
	root, err := os.MkdirTemp("", "monorepo")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(root)
	files := map[string]string{
		"package.json":                 `{"name":"root","workspaces":["packages/*","!packages/old"]}`,
		"packages/b/package.json":      `{"name":"@acme/b"}`,
		"packages/a-x/package.json":    `{"name":"@acme/a-x"}`,
		"packages/ab/package.json":     `{}`,
		"packages/old/package.json":    `{"name":"old"}`,
		"packages/notes/README":        "no package.json: not a workspace",
		"packages/b/test/package.json": `{"name":"not listed: one level only"}`,
	}
	for rel, content := range files {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			panic(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			panic(err)
		}
	}
	pkg, err := pkgjson.Load(filepath.Join(root, "package.json"))
	if err != nil {
		panic(err)
	}
	all, err := workspaces.Workspaces(pkg)
	if err != nil {
		panic(err)
	}
	for _, w := range all {
		rel, _ := filepath.Rel(root, w.Dir)
		fmt.Println(w.Key, filepath.ToSlash(rel))
	}
	chosen, err := workspaces.SelectWorkspaces(all, []string{"ab", "@acme/b"}, root)
	fmt.Println(len(chosen), chosen[0].Key, chosen[1].Key, err)
	_, err = workspaces.SelectWorkspaces(all, []string{"nope"}, root)
	fmt.Println(err)
	// Output:
	// @acme/a-x packages/a-x
	// ab packages/ab
	// @acme/b packages/b
	// 2 ab @acme/b <nil>
	// no workspaces found: --workspace=nope
}
