//go:build unix

package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nrunjs/nrun/internal/testfs"
)

// TestWorkspaceRunsAsNpm runs workspace command lines under npm and under
// nrun (in npm's spelling and in nrun's own) on one monorepo: a fails
// nothing, b fails with 3 in the middle, c lacks the script, d runs last.
// Which scripts ran, in which order and directory, and the exit status
// must be npm's.
func TestWorkspaceRunsAsNpm(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("SKIP: npm not installed; the workspace comparison with npm did not run")
	}
	record, _ := json.Marshal(`echo "$npm_package_name $npm_lifecycle_event $PWD" >> "$LOG"`)
	fail, _ := json.Marshal(`echo "$npm_package_name $npm_lifecycle_event $PWD" >> "$LOG"; exit 3`)
	root := testfs.Tree(t, map[string]string{
		"package.json":            `{"name":"root","version":"0.0.0","private":true,"workspaces":["packages/*"],"scripts":{"s":` + string(record) + `}}`,
		"packages/a/package.json": `{"name":"a","version":"1.0.0","scripts":{"s":` + string(record) + `}}`,
		"packages/b/package.json": `{"name":"b","version":"1.0.0","scripts":{"s":` + string(fail) + `}}`,
		"packages/c/package.json": `{"name":"c","version":"1.0.0","scripts":{"other":"true"}}`,
		"packages/d/package.json": `{"name":"d","version":"1.0.0","scripts":{"s":` + string(record) + `}}`,
	})
	home := t.TempDir()
	type outcome struct {
		log  string
		code int
	}
	run := func(t *testing.T, dir, prog string, args ...string) outcome {
		log := filepath.Join(t.TempDir(), "log")
		cmd := exec.Command(prog, args...)
		cmd.Dir = filepath.Join(root, dir)
		cmd.Env = append(parityEnv(home), "LOG="+log)
		err := cmd.Run()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatalf("%s %q: %v", prog, args, err)
		}
		b, _ := os.ReadFile(log)
		return outcome{string(b), code}
	}
	for _, tc := range []struct {
		dir  string
		npm  []string // after "npm run"
		nrun []string // nrun's own spelling
	}{
		{"", []string{"--workspaces", "s"}, []string{"--workspaces", "s"}},
		{"", []string{"-ws", "s"}, []string{"-ws", "s"}},
		{"", []string{"-w", "a", "-w", "b", "s"}, []string{"-w", "a", "-w", "b", "s"}},
		{"", []string{"-w", "a", "-w", "c", "s"}, []string{"-w", "a", "-w", "c", "s"}},
		{"", []string{"-w", "a", "-w", "d", "s"}, []string{"-w", "a", "-w", "d", "s"}},
		{"", []string{"-ws", "-iwr", "s"}, []string{"-ws", "-iwr", "s"}},
		{"", []string{"--workspaces", "--if-present", "s"}, []string{"--workspaces", "--if-present", "s"}},
		{"packages/a", []string{"--workspaces", "s"}, []string{"--workspaces", "s"}},
		{"packages/a", []string{"-w", "../d", "s"}, []string{"-w", "../d", "s"}},
		// Paths only: nrun reads only the selected workspaces.
		{"", []string{"-w", "packages/d", "-w", "./packages/b", "s"}, []string{"-w", "packages/d", "-w", "./packages/b", "s"}},
		{"", []string{"-w", "packages", "s"}, []string{"-w", "packages", "s"}},
		{"", []string{"-w", "packages/nope", "s"}, []string{"-w", "packages/nope", "s"}},
		{"", []string{"-w", "nope"}, []string{"-w", "nope"}},
		{"", []string{"-w", "nope", "s"}, []string{"-w", "nope", "s"}},
		{"", []string{"-w", "a"}, []string{"-w", "a"}},
	} {
		t.Run(tc.dir+" "+strings.Join(tc.npm, " "), func(t *testing.T) {
			t.Parallel()
			want := run(t, tc.dir, npm, append([]string{"run"}, tc.npm...)...)
			if ran := !strings.Contains(strings.Join(tc.npm, " "), "nope") && tc.npm[len(tc.npm)-1] == "s"; ran != (want.log != "") {
				t.Fatalf("npm ran %q (exit %d): the fixture is broken", want.log, want.code)
			}
			for _, args := range [][]string{append([]string{"run"}, tc.npm...), tc.nrun} {
				got := run(t, tc.dir, "nrun", args...)
				if got != want {
					t.Errorf("nrun %q:\n%s(exit %d)\nnpm run %q:\n%s(exit %d)", args, got.log, got.code, tc.npm, want.log, want.code)
				}
			}
		})
	}
}
