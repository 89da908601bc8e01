package runner

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestNewEnvKeepsFirstDuplicate(t *testing.T) {
	e := NewEnv([]string{"A=1", "B=2", "A=3", "=C:=x", "junk"})
	if got := e.List(); !slices.Equal(got, []string{"A=1", "B=2"}) {
		t.Errorf("got %q", got)
	}
}

func TestEnvSet(t *testing.T) {
	e := NewEnv([]string{"A=1", "B=2"})
	e.Set("A", "x")
	e.Set("C", "y")
	e.SetPair("B=z=w")
	if got := e.List(); !slices.Equal(got, []string{"A=x", "B=z=w", "C=y"}) {
		t.Errorf("got %q", got)
	}
	c := e.Clone()
	c.Set("A", "changed")
	if e.Get("A") != "x" {
		t.Error("Clone shares storage with the original")
	}
}

func TestEnvKeyCase(t *testing.T) {
	e := NewEnv([]string{"Path=a"})
	e.Set("PATH", "b")
	if runtime.GOOS == "windows" {
		if got := e.List(); !slices.Equal(got, []string{"Path=b"}) {
			t.Errorf("windows: got %q, want the existing spelling kept", got)
		}
		return
	}
	if got := e.List(); !slices.Equal(got, []string{"Path=a", "PATH=b"}) {
		t.Errorf("unix: got %q, names are case-sensitive", got)
	}
}

func TestNpmEnv(t *testing.T) {
	dir := t.TempDir()
	json := filepath.Join(dir, "package.json")
	pkg := Package{Dir: dir, JSON: json, Vars: []string{"npm_package_name=n", "npm_package_version=1",
		"npm_package_config_port=8080", "npm_package_config_a_b_0=true", "npm_package_config_a_b_1=",
		"npm_package_engines_node=>=20", "npm_package_bin_n=cli.js"},
		BinDirs: []string{filepath.Join(dir, "node_modules", ".bin"), filepath.Join(dir, "..", "node_modules", ".bin")}}
	env := NpmEnv([]string{"PATH=/usr/bin", "npm_package_name=stale", "npm_package_config_outer=kept", "HOME=/h", "INIT_CWD=/old", "npm_command=exec"}, pkg, "/start")
	sep := string(os.PathListSeparator)
	wantPath := strings.Join(append(slices.Clone(pkg.BinDirs), "/usr/bin"), sep)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"PATH": wantPath, "npm_package_name": "n", "npm_package_version": "1",
		"npm_package_config_port": "8080", "npm_package_config_a_b_0": "true", "npm_package_config_a_b_1": "",
		"npm_package_engines_node": ">=20", "npm_package_bin_n": "cli.js", "npm_package_config_outer": "kept",
		"npm_package_json": json, "INIT_CWD": "/start", "npm_config_local_prefix": dir,
		"npm_command": "run", "NODE_RUN_PACKAGE_JSON_PATH": json, "HOME": "/h", "npm_execpath": exe,
	} {
		if got := env.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	checkOnce(t, env)
	noName := NpmEnv(nil, Package{Dir: dir, JSON: json, BinDirs: pkg.BinDirs}, "/")
	if noName.index("npm_package_name") >= 0 || noName.Get("PATH") != strings.Join(pkg.BinDirs, sep) {
		t.Errorf("without name or PATH: %q", noName.List())
	}
}

// checkOnce fails if a key occurs twice, compared as the OS compares them.
func checkOnce(t *testing.T, env Env) {
	t.Helper()
	seen := map[string]bool{}
	for _, kv := range env.List() {
		k, _, _ := strings.Cut(kv, "=")
		if seen[canonicalKey(k)] {
			t.Errorf("%s appears twice", k)
		}
		seen[canonicalKey(k)] = true
	}
}

// TestNpmEnvNode: NODE and npm_node_execpath name the node found on the
// new PATH, absolute even when found through a relative PATH entry, and are
// left alone when there is none.
func TestNpmEnvNode(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "tools")
	if err := os.MkdirAll(bin, 0o777); err != nil {
		t.Fatal(err)
	}
	node := filepath.Join(bin, "node")
	if runtime.GOOS == "windows" {
		node += ".exe"
	}
	if err := os.WriteFile(node, []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	pkg := Package{Dir: dir, JSON: filepath.Join(dir, "package.json")}
	for _, path := range []string{bin, "tools"} {
		env := NpmEnv([]string{"PATH=" + path}, pkg, dir)
		if got := env.Get("NODE"); got != node {
			t.Errorf("PATH=%s: NODE = %q, want %q", path, got, node)
		}
		if got := env.Get("npm_node_execpath"); got != node {
			t.Errorf("PATH=%s: npm_node_execpath = %q, want %q", path, got, node)
		}
	}
	env := NpmEnv([]string{"PATH=" + filepath.Join(dir, "none"), "NODE=/inherited"}, pkg, dir)
	if got := env.Get("NODE"); got != "/inherited" {
		t.Errorf("no node on PATH: NODE = %q, want the inherited value", got)
	}
}

// TestEnvMerge: the linear and the indexed path of merge agree with Set
// applied one entry at a time.
func TestEnvMerge(t *testing.T) {
	base := []string{"A=1", "B=2", "Path=p"}
	for _, n := range []int{3, smallEnv + 5} {
		var kvs []string
		for i := range n {
			kvs = append(kvs, "K"+strconv.Itoa(i%4)+"="+strconv.Itoa(i))
		}
		kvs = append(kvs, "A=x", "PATH=q", "bad", "=empty")
		got := NewEnv(base)
		got.merge(kvs, true)
		want := NewEnv(base)
		for _, kv := range kvs {
			if k, _, ok := strings.Cut(kv, "="); ok && k != "" {
				want.SetPair(kv)
			}
		}
		if !slices.Equal(got.List(), want.List()) {
			t.Errorf("n=%d: merge gives %q, Set gives %q", n, got.List(), want.List())
		}
		keep := NewEnv(base)
		keep.merge(kvs, false)
		if keep.Get("A") != "1" {
			t.Errorf("n=%d: merge without replace changed A to %q", n, keep.Get("A"))
		}
		checkOnce(t, got)
		checkOnce(t, keep)
	}
	big := make([]string, 0, 3*smallEnv)
	for i := range 3 * smallEnv {
		big = append(big, "D"+strconv.Itoa(i%smallEnv)+"="+strconv.Itoa(i))
	}
	e := NewEnv(big)
	if len(e.List()) != smallEnv || e.Get("D0") != "0" {
		t.Errorf("NewEnv of a big environment with duplicates: %q", e.List())
	}
}
