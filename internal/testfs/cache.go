package testfs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Cached returns name/key under the user's cache directory, calling fill
// to make it the first time. fill works in a fresh directory beside it,
// which is renamed into place only once fill has succeeded: a directory
// found there is whole, and of test processes filling it at once, the
// first to finish wins and the others use its copy. fill's error is
// returned for the caller to fail or skip on.
func Cached(t testing.TB, name, key string, fill func(dir string) error) (string, error) {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	root := filepath.Join(cache, name)
	dir := filepath.Join(root, key)
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	if err := os.MkdirAll(root, 0o777); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.MkdirTemp(root, "fill-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	start := time.Now()
	if err := fill(tmp); err != nil {
		return "", err
	}
	t.Logf("made %s in %v", dir, time.Since(start).Round(time.Millisecond))
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(dir); statErr != nil {
			t.Fatal(err)
		}
	}
	return dir, nil
}

// NpmInstall runs npm with args in dir, with the user's npm configuration
// (registry, proxy, CA) but nothing an outer npm run set, for at most five
// minutes; the error carries npm's output.
func NpmInstall(dir string, args ...string) error {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, append(args, "--no-audit", "--no-fund", "--no-update-notifier")...)
	cmd.Dir, cmd.Env = dir, NpmFree(os.Environ())
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm %s (needs the npm registry): %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// PnpmVersion and YarnVersion are the pnpm and yarn the tests compare nrun
// with. The pnpm package ships pnpm as a native binary; yarn's is one
// JavaScript file that needs no install script.
const (
	PnpmVersion = "12.21.0"
	YarnVersion = "4.18.1"
)

// Pnpm returns pnpm's executable (see NpmTool; about 65 MB).
func Pnpm(t testing.TB) string {
	t.Helper()
	// pnpm's install script puts the native binary in place of the
	// JavaScript launcher, so the tests run pnpm without Node.
	return NpmTool(t, "pnpm@"+PnpmVersion, "pnpm")
}

// Yarn returns yarn's executable (see NpmTool), which runs with node.
func Yarn(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		SkipOrFail(t, "node is not installed, so yarn %s cannot run: %v", YarnVersion, err)
	}
	return NpmTool(t, "@yarnpkg/cli-dist@"+YarnVersion, "yarn")
}

// NpmTool returns the executable bin of the npm package spec (name@version),
// installed with npm from the npm registry once into the user's cache
// directory. The test is skipped, with the reason, where npm or the
// registry is missing, unless NRUN_CI is set, as .ci/run sets it: there,
// a tool missing fails.
func NpmTool(t testing.TB, spec, bin string) string {
	t.Helper()
	key := strings.ReplaceAll(spec, "/", "+")
	dir, err := Cached(t, "nrun-tools", key, func(dir string) error {
		return NpmInstall(dir, "install", "--prefix", dir, "--no-save", "--no-package-lock", spec)
	})
	if err != nil {
		SkipOrFail(t, "%s cannot be installed, so nrun was not compared with it: %v", spec, err)
	}
	return filepath.Join(dir, "node_modules", ".bin", bin)
}

// SkipOrFail skips the test visibly, or fails it under NRUN_CI, where CI
// has installed what the test needs.
func SkipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("NRUN_CI") != "" {
		t.Fatalf(format, args...)
	}
	t.Skipf("SKIP: "+format, args...)
}

// ToolEnv is the environment of a package manager the tests run (pnpm,
// yarn): nothing an outer npm, pnpm, yarn or nrun run set, and a home of
// the test's own.
func ToolEnv(t testing.TB) []string {
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "XDG_STATE_HOME=" + home, "XDG_CACHE_HOME=" + home}
	for _, kv := range NpmFree(os.Environ()) {
		k, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "XDG_") && !strings.HasPrefix(k, "YARN_") && k != "HOME" {
			env = append(env, kv)
		}
	}
	return env
}

// NpmFree drops the variables an outer npm, pnpm, node --run or nrun run
// sets.
func NpmFree(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		k := strings.ToUpper(name)
		return strings.HasPrefix(k, "NPM_") || strings.HasPrefix(k, "PNPM_") || strings.HasPrefix(name, "NODE_RUN_") ||
			strings.HasPrefix(name, "NRUN_") || name == "INIT_CWD"
	})
}
