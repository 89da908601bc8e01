//go:build unix

package pnpmyaml

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/testfs"
)

// pnpmVersion is the pnpm the cases are compared with: the npm package
// ships pnpm as a native binary, which reads YAML in code of its own.
const pnpmVersion = "12.21.0"

// TestPackagesMatchPnpm hands every case to the real pnpm: in a directory
// holding the case's pnpm-workspace.yaml and, for each item Packages reads,
// a package in a directory of that name, `pnpm ls -r` must list exactly
// those directories. A case refused here must be refused by pnpm too,
// unless it is marked as one pnpm reads.
func TestPackagesMatchPnpm(t *testing.T) {
	pnpm := pnpmBinary(t)
	env := pnpmEnv(t)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if tt.notPnpm != "" {
				t.Skipf("SKIP: not compared with pnpm: %s", tt.notPnpm)
			}
			t.Parallel()
			dir := t.TempDir()
			testfs.Write(t, dir, "package.json", `{"name":"root","private":true}`)
			testfs.Write(t, dir, "pnpm-workspace.yaml", tt.yaml)
			got, err := Packages("pnpm-workspace.yaml", []byte(tt.yaml))
			for i, item := range got {
				testfs.Write(t, dir, filepath.Join(item, "package.json"), `{"name":"p`+string(rune('a'+i))+`"}`)
			}
			listed, pnpmErr := pnpmList(pnpm, env, dir)
			switch {
			case err == nil && pnpmErr != nil:
				t.Errorf("pnpm refuses what Packages reads as %q: %v", got, pnpmErr)
			case err == nil:
				want := slices.Clone(got)
				slices.Sort(want)
				if !slices.Equal(listed, want) {
					t.Errorf("pnpm lists %q\nPackages reads %q", listed, want)
				}
			case pnpmErr == nil && !tt.pnpmReads:
				t.Errorf("pnpm reads %q where Packages refuses: %v", listed, err)
			case pnpmErr != nil && tt.pnpmReads:
				t.Errorf("marked as read by pnpm, which refuses it: %v", pnpmErr)
			}
		})
	}
}

// pnpmList runs `pnpm ls -r` in dir and returns the directories of the
// workspace packages it lists, relative to dir and sorted; the root is left
// out.
func pnpmList(pnpm string, env []string, dir string) ([]string, error) {
	cmd := exec.Command(pnpm, "ls", "-r", "--depth", "-1", "--json")
	cmd.Dir, cmd.Env = dir, env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		first, _, _ := strings.Cut(strings.TrimSpace(string(out)+stderr.String()), "\n")
		return nil, errors.New(err.Error() + ": " + first)
	}
	var projects []struct{ Path string }
	if err := json.Unmarshal(out, &projects); err != nil {
		return nil, err
	}
	var dirs []string
	for _, p := range projects {
		if p.Path == dir {
			continue
		}
		rel, err := filepath.Rel(dir, p.Path)
		if err != nil {
			return nil, err
		}
		dirs = append(dirs, filepath.ToSlash(rel))
	}
	slices.Sort(dirs)
	return dirs, nil
}

// pnpmEnv is pnpm's environment: nothing an outer npm or pnpm set, and a
// home of the test's own.
func pnpmEnv(t *testing.T) []string {
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "XDG_STATE_HOME=" + home, "XDG_CACHE_HOME=" + home}
	for _, kv := range npmFree(os.Environ()) {
		k, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "XDG_") && k != "HOME" {
			env = append(env, kv)
		}
	}
	return env
}

// npmFree drops the variables an outer npm, pnpm or nrun run sets.
func npmFree(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		k := strings.ToUpper(kv[:max(strings.IndexByte(kv, '='), 0)])
		return strings.HasPrefix(k, "NPM_") || strings.HasPrefix(k, "PNPM_") || k == "INIT_CWD"
	})
}

// pnpmBinary returns pnpm's executable, installed with npm from the npm
// registry once into the user's cache directory (about 65 MB). The test is
// skipped, with the reason, where npm or the registry is missing, unless
// NRUN_CI is set, as .ci/run sets it: there, a missing pnpm fails.
func pnpmBinary(t *testing.T) string {
	t.Helper()
	skip := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("NRUN_CI") != "" {
			t.Fatalf(format, args...)
		}
		t.Skipf("SKIP: "+format, args...)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	root := filepath.Join(cache, "nrun-pnpm")
	dir := filepath.Join(root, pnpmVersion)
	bin := filepath.Join(dir, "node_modules", ".bin", "pnpm")
	if _, err := os.Stat(bin); err == nil {
		return bin
	} else if !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		skip("npm is not installed, so pnpm %s cannot be; Packages was not compared with pnpm", pnpmVersion)
	}
	if err := os.MkdirAll(root, 0o777); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.MkdirTemp(root, "install-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// pnpm's install script puts the native binary in place of the
	// JavaScript launcher, so the test runs pnpm without Node.
	cmd := exec.CommandContext(ctx, npm, "install", "--prefix", tmp, "--no-save", "--no-package-lock",
		"--no-audit", "--no-fund", "--no-update-notifier", "pnpm@"+pnpmVersion)
	cmd.Env = npmFree(os.Environ()) // the user's npm configuration: registry, proxy, CA
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		skip("npm install pnpm@%s (needs the npm registry): %v\n%s", pnpmVersion, err, out)
	}
	t.Logf("npm installed pnpm %s into %s in %v", pnpmVersion, dir, time.Since(start).Round(time.Millisecond))
	if err := os.Rename(tmp, dir); err != nil {
		// Another test process may have put its own install in place.
		if _, statErr := os.Stat(bin); statErr != nil {
			t.Fatal(err)
		}
	}
	return bin
}
