package runner

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
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

func TestBinDirs(t *testing.T) {
	root := filepath.VolumeName(os.TempDir()) + string(filepath.Separator)
	dir := filepath.Join(root, "a", "b")
	want := []string{
		filepath.Join(root, "a", "b", "node_modules", ".bin"),
		filepath.Join(root, "a", "node_modules", ".bin"),
		filepath.Join(root, "node_modules", ".bin"),
	}
	if got := BinDirs(dir); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestNpmEnv(t *testing.T) {
	dir := t.TempDir()
	pkg := Package{Dir: dir, JSON: filepath.Join(dir, "package.json"), Name: "n", Version: "1"}
	env := NpmEnv([]string{"PATH=/usr/bin", "npm_package_name=stale", "HOME=/h"}, pkg, "/start")
	sep := string(os.PathListSeparator)
	wantPath := strings.Join(append(BinDirs(dir), "/usr/bin"), sep)
	for k, want := range map[string]string{
		"PATH": wantPath, "npm_package_name": "n", "npm_package_version": "1",
		"npm_package_json": pkg.JSON, "INIT_CWD": "/start", "npm_config_local_prefix": dir,
		"npm_command": "run", "NODE_RUN_PACKAGE_JSON_PATH": pkg.JSON, "HOME": "/h",
	} {
		if got := env.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	seen := map[string]bool{}
	for _, kv := range env.List() {
		k, _, _ := strings.Cut(kv, "=")
		if seen[k] {
			t.Errorf("%s appears twice", k)
		}
		seen[k] = true
	}
	noName := NpmEnv(nil, Package{Dir: dir, JSON: pkg.JSON}, "/")
	if noName.index("npm_package_name") >= 0 || noName.Get("PATH") != strings.Join(BinDirs(dir), sep) {
		t.Errorf("without name or PATH: %q", noName.List())
	}
}
