package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nrunjs/nrun/pkgjson"
	"github.com/nrunjs/nrun/runner"
)

// BenchmarkStartPath is what `nrun start` does before the app runs, minus
// the execve: read the command line, find and read package.json, decide
// which node_modules/.bin directories go on PATH, build the npm
// environment and plan the script with its hooks.
func BenchmarkStartPath(b *testing.B) {
	dir := b.TempDir()
	pkg := `{"name":"app","version":"1.0.0","config":{"port":"8080"},
  "scripts":{"prestart":"node check.js","start":"NODE_ENV=production node server.js --port $npm_package_config_port","test":"jest"}}`
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(pkg), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		cfg, _ := plainInvocation([]string{"nrun", "start"})
		path, err := pkgjson.Find(dir)
		if err != nil {
			b.Fatal(err)
		}
		p, err := pkgjson.Load(path)
		if err != nil {
			b.Fatal(err)
		}
		bins := findBinDirs(p.Dir)
		env := runner.NpmEnv(os.Environ(), runner.Package{Dir: p.Dir, JSON: p.Path, Vars: p.NpmVars(), UserAgent: userAgent(false), BinDirs: bins.Dirs}, dir)
		if scripts, _, err := planScripts(cfg, p, env, bins.Dirs); err != nil || len(scripts) != 2 {
			b.Fatalf("%d scripts, %v", len(scripts), err)
		}
	}
}
