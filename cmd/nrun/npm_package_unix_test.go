//go:build unix

package main

// The npm packages (scripts/npm-packages.sh) installed by the real npm:
// node_modules/.bin/nrun must be nrun itself, not a launcher in front of it.

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestNpmPackage builds the packages for this machine, installs them into
// a fresh project the way a user's npm would (from the tarballs, offline,
// with install scripts off), and runs a script through
// node_modules/.bin/nrun: the app must get the PID of the process the test
// started and have the test as its parent, so nothing (no node, no shell,
// no launcher) ran in between. The sh fallback that package managers
// linking only direct dependencies' bins use must keep the PID too.
func TestNpmPackage(t *testing.T) {
	t.Parallel()
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("SKIP: npm not installed; the npm packages were not installed and run")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("SKIP: bash not installed; scripts/npm-packages.sh cannot run")
	}
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		t.Skipf("SKIP: %s/%s is not a release target", runtime.GOOS, runtime.GOARCH)
	}
	platform := "bin-" + platform() + "-" + arch()

	base := t.TempDir()
	out := filepath.Join(base, "out")
	proj := filepath.Join(base, "proj")
	for _, d := range []string{out, proj, filepath.Join(base, "home"), filepath.Join(base, "cache")} {
		if err := os.MkdirAll(d, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	env := parityEnv(base)
	const version = "1.2.3-test.1"
	parityRun(t, "../..", env, bash, "scripts/npm-packages.sh", "--version", version, out, runtime.GOOS+"/"+runtime.GOARCH)
	tarballs, _ := filepath.Glob(filepath.Join(out, "*.tgz"))
	if len(tarballs) != 2 {
		t.Fatalf("scripts/npm-packages.sh made %q, want the main and one platform package", tarballs)
	}

	pkg := `{"name":"proj","version":"1.0.0","scripts":{"start":"nrun-probe pid -file pidfile"}}`
	if err := os.WriteFile(filepath.Join(proj, "package.json"), []byte(pkg), 0o666); err != nil {
		t.Fatal(err)
	}
	parityRun(t, proj, env, npm, append([]string{"install", "--ignore-scripts", "--offline"}, tarballs...)...)

	// npm linked the platform package's bin: the binary itself, no script.
	bin := filepath.Join(proj, "node_modules", ".bin", "nrun")
	target, err := filepath.EvalSymlinks(bin)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(proj, "node_modules", "@nrunjs", platform, "nrun")
	if real, _ := filepath.EvalSymlinks(want); target != real {
		t.Errorf("node_modules/.bin/nrun is %s, want the binary %s", target, want)
	}
	if head, err := os.ReadFile(target); err != nil || bytes.HasPrefix(head, []byte("#!")) {
		t.Errorf("node_modules/.bin/nrun is a script, not the binary (%v)", err)
	}
	if got := parityRun(t, proj, env, bin, "--version"); !strings.HasPrefix(got, "nrun "+version+" ") {
		t.Errorf("node_modules/.bin/nrun --version printed %q, want nrun %s", got, version)
	}
	for _, f := range []string{"man/nrun.1", "bin/nrun"} {
		if _, err := os.Stat(filepath.Join(proj, "node_modules", "@nrunjs", "nrun", f)); err != nil {
			t.Errorf("the main package lacks %s: %v", f, err)
		}
	}

	t.Run("bin", func(t *testing.T) { npmRunKeepsPID(t, bin, proj, env) })
	t.Run("sh fallback", func(t *testing.T) {
		npmRunKeepsPID(t, filepath.Join(proj, "node_modules", "@nrunjs", "nrun", "bin", "nrun"), proj, env)
	})
	// pnpm's layout: the packages live side by side in a store directory,
	// and node_modules/@nrunjs/nrun is a symlink to the main one there.
	t.Run("sh fallback, pnpm layout", func(t *testing.T) {
		store := filepath.Join(proj, "node_modules", ".pnpm", "@nrunjs+nrun@"+version, "node_modules", "@nrunjs")
		if err := os.MkdirAll(store, 0o777); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"nrun", platform} {
			if err := os.Rename(filepath.Join(proj, "node_modules", "@nrunjs", name), filepath.Join(store, name)); err != nil {
				t.Fatal(err)
			}
		}
		link := filepath.Join(proj, "node_modules", "@nrunjs", "nrun")
		if err := os.Symlink(filepath.Join("..", ".pnpm", "@nrunjs+nrun@"+version, "node_modules", "@nrunjs", "nrun"), link); err != nil {
			t.Fatal(err)
		}
		npmRunKeepsPID(t, filepath.Join(link, "bin", "nrun"), proj, env)
	})
}

// npmRunKeepsPID runs `prog start` in dir, whose start script is
// `nrun-probe pid -file pidfile`, and wants the app to report the PID of
// the process the test started, and the test as its parent.
func npmRunKeepsPID(t *testing.T, prog, dir string, env []string) {
	t.Helper()
	pidfile := filepath.Join(dir, "pidfile")
	os.Remove(pidfile)
	cmd := exec.Command(prog, "start")
	cmd.Dir = dir
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s start: %v\n%s", prog, err, out)
	}
	got := waitForFile(t, pidfile)
	want := fmt.Sprintf("pid=%d ppid=%d\n", cmd.Process.Pid, os.Getpid())
	if got != want {
		t.Errorf("%s start: the app reports %q, want %q: a process ran between the caller and the app", prog, got, want)
	}
}

// TestNpmPackageFromRegistry publishes the packages of every target to a
// registry on loopback and installs @nrunjs/nrun from it, as users will:
// npm must pick the platform package of this machine out of the optional
// dependencies by os and cpu, skip the seven others, and link its binary as
// node_modules/.bin/nrun. A global install links the main package's bin (npm
// links only the bins of the packages named on its command line there),
// which must keep the PID too, and its man page. The binaries come through
// --from, as goreleaser's publisher hands them over: this machine's is nrun
// (the test binary under that name), the others stand-ins.
func TestNpmPackageFromRegistry(t *testing.T) {
	t.Parallel()
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("SKIP: npm not installed; the npm packages were not installed from a registry")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("SKIP: bash not installed; scripts/npm-packages.sh cannot run")
	}
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		t.Skipf("SKIP: %s/%s is not a release target", runtime.GOOS, runtime.GOARCH)
	}
	nrun, err := exec.LookPath("nrun")
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	dist, out, proj, global := filepath.Join(base, "dist"), filepath.Join(base, "out"), filepath.Join(base, "proj"), filepath.Join(base, "global")
	for _, d := range []string{out, proj, global, filepath.Join(base, "home"), filepath.Join(base, "cache")} {
		if err := os.MkdirAll(d, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	host := runtime.GOOS + "_" + runtime.GOARCH
	for _, goos := range []string{"linux", "darwin", "windows", "freebsd"} {
		for _, goarch := range []string{"amd64", "arm64"} {
			exe, data := "nrun", []byte("#!/bin/sh\necho 'not for this machine'; exit 99\n")
			if goos == "windows" {
				exe = "nrun.exe"
			}
			if goos+"_"+goarch == host {
				if data, err = os.ReadFile(nrun); err != nil {
					t.Fatal(err)
				}
			}
			// goreleaser's directory names: nrun_<os>_<arch>_<variant>.
			dir := filepath.Join(dist, "nrun_"+goos+"_"+goarch+"_v1")
			if err := os.MkdirAll(dir, 0o777); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, exe), data, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	env := parityEnv(base)
	const version = "1.2.3-test.2"
	parityRun(t, "../..", env, bash, "scripts/npm-packages.sh", "--version", version, "--from", dist, out)
	registry := npmTestRegistry(t, out)

	pkg := `{"name":"proj","version":"1.0.0","scripts":{"start":"nrun-probe pid -file pidfile"}}`
	if err := os.WriteFile(filepath.Join(proj, "package.json"), []byte(pkg), 0o666); err != nil {
		t.Fatal(err)
	}
	env = append(env, "npm_config_registry="+registry)
	parityRun(t, proj, env, npm, "install", "--ignore-scripts", "@nrunjs/nrun@"+version)
	installed, err := os.ReadDir(filepath.Join(proj, "node_modules", "@nrunjs"))
	if err != nil {
		t.Fatal(err)
	}
	platform := "bin-" + platform() + "-" + arch()
	var names []string
	for _, e := range installed {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != platform+" nrun" {
		t.Errorf("npm installed @nrunjs/%v, want only %s and nrun", names, platform)
	}
	bin := filepath.Join(proj, "node_modules", ".bin", "nrun")
	if link, err := os.Readlink(bin); err != nil || link != filepath.Join("..", "@nrunjs", platform, "nrun") {
		t.Errorf("node_modules/.bin/nrun links to %q (%v), want the binary of %s", link, err, platform)
	}
	npmRunKeepsPID(t, bin, proj, env)

	parityRun(t, proj, env, npm, "install", "--global", "--prefix", global, "--ignore-scripts", "@nrunjs/nrun@"+version)
	gbin := filepath.Join(global, "bin", "nrun")
	if link, err := os.Readlink(gbin); err != nil || !strings.HasSuffix(link, filepath.Join("@nrunjs", "nrun", "bin", "nrun")) {
		t.Errorf("a global install's bin/nrun links to %q (%v), want @nrunjs/nrun/bin/nrun", link, err)
	}
	npmRunKeepsPID(t, gbin, proj, env)
	if _, err := os.Stat(filepath.Join(global, "share", "man", "man1", "nrun.1")); err != nil {
		t.Errorf("a global install has no man page: %v", err)
	}
}

// npmTestRegistry serves the packages in dir (npm pack's .tgz files) as an
// npm registry on loopback: a document per package name listing its one
// version, with the manifest from the tarball, and the tarballs themselves.
func npmTestRegistry(t *testing.T, dir string) string {
	t.Helper()
	tarballs, _ := filepath.Glob(filepath.Join(dir, "*.tgz"))
	docs := map[string][]byte{}
	files := map[string][]byte{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if data, ok := docs[name]; ok {
			w.Header().Set("Content-Type", "application/json")
			w.Write(data)
		} else if data, ok := files[name]; ok {
			w.Write(data)
		} else {
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	for _, tgz := range tarballs {
		data, err := os.ReadFile(tgz)
		if err != nil {
			t.Fatal(err)
		}
		manifest := npmTarballManifest(t, tgz, data)
		file := "-/" + filepath.Base(tgz)
		files[file] = data
		sum512, sum1 := sha512.Sum512(data), sha1.Sum(data)
		manifest["dist"] = map[string]string{
			"tarball":   srv.URL + "/" + file,
			"integrity": "sha512-" + base64.StdEncoding.EncodeToString(sum512[:]),
			"shasum":    hex.EncodeToString(sum1[:]),
		}
		name, version := manifest["name"].(string), manifest["version"].(string)
		doc, err := json.Marshal(map[string]any{
			"name":      name,
			"dist-tags": map[string]string{"latest": version},
			"versions":  map[string]any{version: manifest},
		})
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = doc
	}
	return srv.URL + "/"
}

// npmTarballManifest reads package/package.json out of an npm tarball.
func npmTarballManifest(t *testing.T, path string, data []byte) map[string]any {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s: no package/package.json: %v", path, err)
		}
		if h.Name == "package/package.json" {
			var m map[string]any
			if err := json.NewDecoder(tr).Decode(&m); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			return m
		}
	}
}
