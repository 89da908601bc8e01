//go:build unix

package pnpmyaml

import (
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nrunjs/nrun/internal/testfs"
)

// TestPackagesMatchPnpm hands every case to the real pnpm: in a directory
// holding the case's pnpm-workspace.yaml and, for each item Packages reads,
// a package in a directory of that name, `pnpm ls -r` must list exactly
// those directories. A case refused here must be refused by pnpm too,
// unless it is marked as one pnpm reads.
func TestPackagesMatchPnpm(t *testing.T) {
	// pnpm 12 is a native binary, which reads YAML in code of its own.
	pnpm := testfs.Pnpm(t)
	env := testfs.ToolEnv(t)
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
