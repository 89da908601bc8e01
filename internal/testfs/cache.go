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

// PnpmVersion is the pnpm the tests compare nrun with: the npm package
// ships pnpm as a native binary.
const PnpmVersion = "12.21.0"

// Pnpm returns pnpm's executable, installed with npm from the npm registry
// once into the user's cache directory (about 65 MB). The test is skipped,
// with the reason, where npm or the registry is missing, unless NRUN_CI is
// set, as .ci/run sets it: there, a missing pnpm fails.
func Pnpm(t testing.TB) string {
	t.Helper()
	dir, err := Cached(t, "nrun-pnpm", PnpmVersion, func(dir string) error {
		// pnpm's install script puts the native binary in place of the
		// JavaScript launcher, so the tests run pnpm without Node.
		return NpmInstall(dir, "install", "--prefix", dir, "--no-save", "--no-package-lock", "pnpm@"+PnpmVersion)
	})
	if err != nil {
		if os.Getenv("NRUN_CI") != "" {
			t.Fatalf("pnpm %s: %v", PnpmVersion, err)
		}
		t.Skipf("SKIP: pnpm %s cannot be installed, so nrun was not compared with it: %v", PnpmVersion, err)
	}
	return filepath.Join(dir, "node_modules", ".bin", "pnpm")
}

// PnpmEnv is pnpm's environment: nothing an outer npm, pnpm or nrun run
// set, and a home of the test's own.
func PnpmEnv(t testing.TB) []string {
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "XDG_STATE_HOME=" + home, "XDG_CACHE_HOME=" + home}
	for _, kv := range NpmFree(os.Environ()) {
		k, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "XDG_") && k != "HOME" {
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
