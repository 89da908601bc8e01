package runner

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestFoldKey: two keys get the same representative exactly when
// strings.EqualFold calls them equal (Windows' comparison in Env).
func TestFoldKey(t *testing.T) {
	keys := []string{"Path", "PATH", "path", "pAtH", "PATHS", "k", "K", "\u212A", "s", "S", "\u017F",
		"é", "É", "ß", "ẞ", "Σ", "σ", "ς", "\xff", "\xfe", "\uFFFD", "npm_package_config_A", "npm_package_config_a", ""}
	for _, a := range keys {
		for _, b := range keys {
			if eq, same := strings.EqualFold(a, b), foldKey(a) == foldKey(b); eq != same {
				t.Errorf("EqualFold(%q, %q) = %v, but foldKey gives %q and %q", a, b, eq, foldKey(a), foldKey(b))
			}
		}
	}
}

// TestNpmEnvLargeConfig: thousands of config variables and a big
// environment stay linear and end up once each.
func TestNpmEnvLargeConfig(t *testing.T) {
	const n = 20000
	var vars []string
	for i := range n {
		vars = append(vars, "npm_package_config_k"+strings.Repeat("x", i%7)+"_"+strconv.Itoa(i)+"="+strconv.Itoa(i))
	}
	environ := []string{"PATH=/usr/bin"}
	for i := range n {
		environ = append(environ, "INHERITED_"+strconv.Itoa(i)+"=v", "npm_package_config_k_"+strconv.Itoa(i)+"=stale")
	}
	environ = append(environ, "INHERITED_0=dup")
	dir := t.TempDir()
	env := NpmEnv(environ, Package{Dir: dir, JSON: filepath.Join(dir, "package.json"), Vars: vars}, dir)
	seen := map[string]bool{}
	for _, kv := range env.List() {
		k, _, _ := strings.Cut(kv, "=")
		if seen[canonicalKey(k)] {
			t.Fatalf("%s appears twice", k)
		}
		seen[canonicalKey(k)] = true
	}
	if got := env.Get("npm_package_config_k_0"); got != "0" {
		t.Errorf("npm_package_config_k_0 = %q, want 0", got)
	}
	if got := env.Get("npm_package_config_k" + strings.Repeat("x", (n-1)%7) + "_" + strconv.Itoa(n-1)); got != strconv.Itoa(n-1) {
		t.Errorf("last config variable = %q", got)
	}
	if got := env.Get("INHERITED_0"); got != "v" {
		t.Errorf("INHERITED_0 = %q, want the first of the duplicates", got)
	}
	if got := env.Get("npm_package_config_k_1"); got != "stale" {
		t.Errorf("an outer package's variable this one does not define: %q, want it kept", got)
	}
}

// BenchmarkNpmEnv: the whole environment for a typical package, on nrun's
// start path.
func BenchmarkNpmEnv(b *testing.B) {
	dir := b.TempDir()
	pkg := Package{Dir: dir, JSON: filepath.Join(dir, "package.json"), Vars: []string{
		"npm_package_name=@scope/app", "npm_package_version=1.2.3",
		"npm_package_config_port=8080", "npm_package_config_host=localhost",
		"npm_package_config_db_name=app", "npm_package_config_db_pool_0=1", "npm_package_config_db_pool_1=2",
		"npm_package_engines_node=>=20", "npm_package_engines_npm=>=10",
		"npm_package_bin_app=bin/app.js", "npm_package_bin_app-admin=bin/admin.js"}}
	environ := os.Environ()
	b.ReportAllocs()
	for b.Loop() {
		NpmEnv(environ, pkg, dir)
	}
}

// BenchmarkNpmEnvBigEnviron is BenchmarkNpmEnv under a CI-sized
// environment of 1,000 variables, some of them npm's own from an outer run.
func BenchmarkNpmEnvBigEnviron(b *testing.B) {
	dir := b.TempDir()
	pkg := Package{Dir: dir, JSON: filepath.Join(dir, "package.json"), Vars: []string{
		"npm_package_name=app", "npm_package_version=1.0.0", "npm_package_config_port=8080"}}
	environ := append([]string(nil), os.Environ()...)
	for i := range 1000 {
		name := "CI_VARIABLE_"
		if i%10 == 0 {
			name = "npm_package_config_outer_"
		}
		environ = append(environ, name+strconv.Itoa(i)+"=value "+strconv.Itoa(i)+" with some length to it")
	}
	b.ReportAllocs()
	for b.Loop() {
		NpmEnv(environ, pkg, dir)
	}
}
