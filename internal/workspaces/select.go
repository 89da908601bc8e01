package workspaces

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nrunjs/nrun/internal/minimatch"
	"github.com/nrunjs/nrun/pkgjson"
)

// SelectWorkspaces resolves npm's -w/--workspace arguments against all, as
// npm's get-workspaces does. An argument selects a workspace when it is
//
//   - its name (Key),
//   - its directory, relative to cwd or absolute,
//   - its parent directory: a path (or glob) P selects the workspaces whose
//     path matches P/* — one level down: "packages" selects packages/a but
//     not packages/a/b. P is matched as typed against the paths relative to
//     cwd ("./"-prefixed when P is); from the root directory P may also be
//     spelled any way that resolves to the directory (absolute, "x/../p").
//
// When cwd is outside the root (nrun --prefix), paths are taken from the root,
// as npm takes them. The result follows the arguments' order, then all's
// order, without repeats. As in npm, an argument that selects nothing is not
// an error as long as another one selects something; when nothing at all is
// selected the error wraps ErrNoWorkspaces and lists the arguments the way
// npm's message does. No arguments select all.
func SelectWorkspaces(all []Workspace, args []string, cwd string) ([]Workspace, error) {
	if len(args) == 0 {
		if len(all) == 0 {
			return nil, ErrNoWorkspaces
		}
		return slices.Clone(all), nil
	}
	dir, err := pkgjson.Abs(cwd)
	if err != nil {
		return nil, fmt.Errorf("cannot resolve %s: %w", cwd, err)
	}
	cwd = dir
	root := cwd
	if len(all) > 0 && all[0].Root != "" {
		root = all[0].Root
	}
	relativeFrom := cwd
	// npm: relative(localPrefix, cwd).startsWith('..') means outside.
	if r := nodeRelative(root, cwd); strings.HasPrefix(r, "..") || filepath.IsAbs(r) {
		relativeFrom = root
	}
	var out []Workspace
	picked := make([]bool, len(all))
	for _, arg := range args {
		relativeFilter := nodeRelative(root, nodeResolve(cwd, arg))
		byRoot := minimatch.Compile(relativeFilter+"/*", minimatch.Options{})
		byArg := minimatch.Compile(arg+"/*", minimatch.Options{})
		exact := nodeResolve(relativeFrom, arg)
		for i, w := range all {
			if picked[i] {
				continue
			}
			rel := nodeRelative(relativeFrom, w.Dir)
			if strings.HasPrefix(arg, "./") {
				rel = "./" + rel
			}
			if arg == w.Key || exact == w.Dir || byRoot.Match(rel) || byArg.Match(rel) {
				picked[i] = true
				out = append(out, w)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: --workspace=%s", ErrNoWorkspaces, strings.Join(args, " --workspace="))
	}
	return out, nil
}

// nodeResolve is Node's path.resolve(base, p) for an absolute base.
func nodeResolve(base, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}

// nodeRelative is Node's path.relative with forward slashes: "" for the same
// directory.
func nodeRelative(from, to string) string {
	r, err := filepath.Rel(from, to)
	if err != nil {
		return filepath.ToSlash(to) // another volume: Node returns to itself
	}
	if r == "." {
		return ""
	}
	return filepath.ToSlash(r)
}
