package workspaces

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/nrunjs/nrun/pkgjson"
)

// FindWorkspaceRoot walks up from a package dir to the nearest ancestor
// package.json that declares workspaces listing dir, as npm finds the
// workspace root, and returns that package.json's path; ("", nil) when there
// is none.
//
// As in npm, dir's own package.json is never its root (npm run in a root runs
// the root's script), an ancestor whose package.json cannot be read is passed
// over, an ancestor whose workspaces do not list dir does not stop the walk,
// and an ancestor whose workspace list fails (two workspaces with one name) is
// an error. A workspace is listed when its path, as the patterns spell it
// below the root, is dir: a workspace reached through a symlink lists the
// link's path. pnpm-workspace.yaml counts as a declaration too.
func FindWorkspaceRoot(dir string) (string, error) {
	start, err := pkgjson.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("cannot resolve %s: %w", dir, err)
	}
	for d := start; ; {
		parent := filepath.Dir(d)
		if parent == d {
			return "", nil
		}
		d = parent
		p := filepath.Join(d, "package.json")
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		root, err := pkgjson.Load(p)
		if err != nil {
			continue
		}
		all, err := Workspaces(root)
		if err != nil {
			return "", err
		}
		for _, w := range all {
			if w.Dir == start {
				return p, nil
			}
		}
	}
}
