package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nrunjs/nrun/pkgjson"
	"github.com/nrunjs/nrun/runner"
)

// BenchmarkPlainInvocation is the command-line reading of `nrun SCRIPT
// args`, the fast path that skips building urfave/cli's parser.
func BenchmarkPlainInvocation(b *testing.B) {
	args := []string{"nrun", "test", "--", "--watch", "src/"}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := plainInvocation(args); !ok {
			b.Fatal("not a plain invocation")
		}
	}
}

// BenchmarkPlanScripts plans the last of 1,000 scripts with its pre and
// post hooks: the lookups in a big scripts list and the parse of each line.
func BenchmarkPlanScripts(b *testing.B) {
	var pkg strings.Builder
	pkg.WriteString(`{"name":"big","scripts":{`)
	for i := range 1000 {
		fmt.Fprintf(&pkg, `"s%d":"node tools/s%d.js --flag $npm_package_name && echo done",`, i, i)
	}
	pkg.WriteString(`"prelast":"echo pre","last":"NODE_ENV=production node server.js \"$@\"","postlast":"echo post"}}`)
	dir := b.TempDir()
	path := filepath.Join(dir, "package.json")
	if err := os.WriteFile(path, []byte(pkg.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	p, err := pkgjson.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	cfg, _ := plainInvocation([]string{"nrun", "last", "--", "--port", "80"})
	env := runner.NpmEnv(os.Environ(), runner.Package{Dir: p.Dir, JSON: p.Path, Vars: p.NpmVars()}, dir)
	b.ReportAllocs()
	for b.Loop() {
		if scripts, _, err := planScripts(cfg, p, env, nil); err != nil || len(scripts) != 3 {
			b.Fatalf("%d scripts, %v", len(scripts), err)
		}
	}
}
