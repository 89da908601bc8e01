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
	root := ""
	if len(all) > 0 {
		root = all[0].Root
	}
	sel, err := newSelector(root, cwd)
	if err != nil {
		return nil, err
	}
	var out []Workspace
	picked := make([]bool, len(all))
	for _, arg := range args {
		byPath := sel.paths(arg)
		for i, w := range all {
			if !picked[i] && (arg == w.Key || byPath(w.Dir)) {
				picked[i] = true
				out = append(out, w)
			}
		}
	}
	if len(out) == 0 {
		return nil, noneSelected(args)
	}
	return out, nil
}

// IsPath reports whether a -w argument can select workspaces only by their
// directories, never by name, so that SelectPaths may resolve it: it holds a
// "/" (or, on Windows, a backslash) and does not start with "@", or it is "."
// or "..". npm itself tries every argument as a name too, but the names it
// would match there ("packages/a", "./a") are not valid package names, and
// the folder names that stand in for missing names hold a "/" only after
// an "@" ("@scope/dir").
func IsPath(arg string) bool {
	if arg == "." || arg == ".." {
		return true
	}
	if strings.HasPrefix(arg, "@") {
		return false
	}
	return strings.Contains(arg, "/") || filepath.Separator != '/' && strings.ContainsRune(arg, filepath.Separator)
}

// SelectPaths is SelectWorkspaces for arguments that are all paths (see
// IsPath) in the monorepo whose root package is root. It reads the
// package.json of the selected workspaces only, where SelectWorkspaces
// needs every workspace listed first: in a monorepo of hundreds that is
// most of the time `-w packages/a` takes. The selection and its order are
// SelectWorkspaces's; what is not checked is what only reading the others
// would show: two of them sharing a name, or one whose package.json is
// not valid JSON, which npm (and Workspaces) report as an error.
func SelectPaths(root *pkgjson.Package, args []string, cwd string) ([]Workspace, error) {
	dirs, _, err := candidates(root)
	if err != nil {
		return nil, err
	}
	sel, err := newSelector(root.Dir, cwd)
	if err != nil {
		return nil, err
	}
	var out []Workspace
	picked := make([]bool, len(dirs))
	for _, arg := range args {
		byPath := sel.paths(arg)
		for i, dir := range dirs {
			if picked[i] || !byPath(dir) {
				continue
			}
			picked[i] = true
			ws, ok, err := loadWorkspace(dir)
			if err != nil {
				return nil, err
			}
			if ok { // else no package.json: not a workspace
				ws.Root = root.Dir
				out = append(out, ws)
			}
		}
	}
	if len(out) == 0 {
		return nil, noneSelected(args)
	}
	return out, nil
}

func noneSelected(args []string) error {
	return fmt.Errorf("%w: --workspace=%s", ErrNoWorkspaces, strings.Join(args, " --workspace="))
}

// selector resolves the path forms of -w arguments as npm's get-workspaces
// does: from cwd, or from the root when cwd is outside it (nrun --prefix).
type selector struct {
	cwd, root, relativeFrom string
}

func newSelector(root, cwd string) (selector, error) {
	dir, err := pkgjson.Abs(cwd)
	if err != nil {
		return selector{}, fmt.Errorf("cannot resolve %s: %w", cwd, err)
	}
	s := selector{cwd: dir, root: dir, relativeFrom: dir}
	if root != "" {
		s.root = root
	}
	// npm: relative(localPrefix, cwd).startsWith('..') means outside.
	if r := nodeRelative(s.root, s.cwd); strings.HasPrefix(r, "..") || filepath.IsAbs(r) {
		s.relativeFrom = s.root
	}
	return s, nil
}

// paths returns whether arg selects the workspace in dir by path: dir
// itself, or one level below it (see SelectWorkspaces).
func (s selector) paths(arg string) func(dir string) bool {
	relativeFilter := nodeRelative(s.root, nodeResolve(s.cwd, arg))
	byRoot := minimatch.Compile(relativeFilter+"/*", minimatch.Options{})
	byArg := minimatch.Compile(arg+"/*", minimatch.Options{})
	exact := nodeResolve(s.relativeFrom, arg)
	dotSlash := strings.HasPrefix(arg, "./")
	return func(dir string) bool {
		rel := nodeRelative(s.relativeFrom, dir)
		if dotSlash {
			rel = "./" + rel
		}
		return exact == dir || byRoot.Match(rel) || byArg.Match(rel)
	}
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
