package pkgjson

// Workspaces of a monorepo, found, ordered and selected as npm 11 does it.
//
// The reference is npm's own code: @npmcli/map-workspaces (the list and its
// order), lib/utils/get-workspaces.js (-w selection) and @npmcli/config's
// loadLocalPrefix (finding the root from inside a workspace). In short:
//
//   - Each pattern loses its leading "!"s (an odd number negates it) and a
//     leading "./" or "/". A positive pattern cancels the negations before it
//     that match it as a string; each remaining negation drops the positive
//     patterns it matches and hides the directories it matches.
//   - The directories the positive patterns match (only directories; `*` and
//     `**` skip dot names, a leading `**` enters no symlink and a later one
//     at most one, anything under a node_modules is ignored) are sorted with
//     localeCompare(…, "en"), then grouped by the first pattern that matches
//     them (partially: "packages" belongs to "packages/*"), in the order the
//     patterns are written.
//   - A directory without package.json is skipped; a name-less package is
//     known by its folder name; two workspaces with one name are an error.
//
// Differences, all in corners: numeric brace ranges ({1..3}), extglobs
// (+(a|b)) and POSIX classes ([[:alpha:]]) are not supported; macOS and
// Windows match case-sensitively (glob does not there); a "name" that is not a
// string counts as absent; sorting is exact for ASCII names, and other
// characters sort after ASCII by code point (ICU interleaves accented
// letters with their base letters).

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/nrunjs/nrun/internal/collate"
	"github.com/nrunjs/nrun/internal/minimatch"
	"github.com/nrunjs/nrun/internal/pnpmyaml"
	"github.com/tidwall/gjson"
)

// Workspace is one package of a monorepo.
type Workspace struct {
	Name string // package.json "name" ("" if none)
	Dir  string // absolute directory
	Path string // absolute path of its package.json

	// Key is the name npm's workspace map knows the workspace by: Name or,
	// when Name is "", the folder name ("@scope/dir" when the parent folder
	// starts with "@"), as @npmcli/name-from-folder gives it. `-w NAME`
	// matches Key, and two workspaces with one Key are an error.
	Key string

	// Root is the directory of the monorepo's root package, the same for
	// every workspace of a list; SelectWorkspaces resolves paths with it.
	Root string
}

// pnpmFile is read for the workspace list when package.json has none.
const pnpmFile = "pnpm-workspace.yaml"

// ErrNoWorkspaces is wrapped by the error SelectWorkspaces returns when
// nothing is selected.
var ErrNoWorkspaces = errors.New("no workspaces found")

// Workspaces lists the workspaces of the monorepo whose root package.json is
// root: from root's "workspaces" field (an array of globs, or an object with a
// "packages" array — yarn's form) and, when that is absent, from
// pnpm-workspace.yaml's packages list in root.Dir, in the order npm runs them
// (see the top of this file). It returns (nil, nil) when the root declares no
// workspaces or its patterns match no package.
func Workspaces(root *Package) ([]Workspace, error) {
	decl, src, err := workspacePatterns(root)
	if err != nil || len(decl) == 0 {
		return nil, err
	}
	patterns, negated := splitNegated(decl)
	if len(patterns) == 0 {
		return nil, nil
	}

	matches := minimatch.GlobDirs(root.Dir, patterns, negated)
	// glob 8 sorted its results this way, and map-workspaces keeps it.
	slices.SortStableFunc(matches, collate.Compare)

	// Then the matches are grouped by pattern, in the order the patterns
	// are written; a match that fits no pattern is dropped, as in npm.
	var ordered []string
	seen := make(map[string]bool, len(matches))
	for _, p := range patterns {
		mm := minimatch.Compile(p, minimatch.Options{Partial: true})
		for _, m := range matches {
			if !seen[m] && mm.Match(m) {
				seen[m] = true
				ordered = append(ordered, m)
			}
		}
	}

	var list []Workspace
	byKey := make(map[string][]int, len(ordered))
	var keys []string // in order of first appearance
	for _, rel := range ordered {
		dir := filepath.Join(root.Dir, filepath.FromSlash(rel))
		ws, ok, err := loadWorkspace(dir)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // no package.json: not a workspace
		}
		ws.Root = root.Dir
		if _, dup := byKey[ws.Key]; !dup {
			keys = append(keys, ws.Key)
		}
		byKey[ws.Key] = append(byKey[ws.Key], len(list))
		list = append(list, ws)
	}
	var conflicts []string
	for _, k := range keys {
		if idx := byKey[k]; len(idx) > 1 {
			dirs := make([]string, len(idx))
			for i, j := range idx {
				dirs[i] = list[j].Dir
			}
			conflicts = append(conflicts, fmt.Sprintf("package '%s' has conflicts in the following paths: %s", k, strings.Join(dirs, ", ")))
		}
	}
	if conflicts != nil {
		return nil, &Error{Path: src, Msg: fmt.Sprintf("workspaces of %s: must not have multiple workspaces with the same name: %s",
			src, strings.Join(conflicts, "; "))}
	}
	return list, nil
}

// workspacePatterns returns the declared patterns and the file they come
// from; none when nothing is declared.
func workspacePatterns(root *Package) ([]string, string, error) {
	raw, ok := root.Field("workspaces")
	v := gjson.Parse(raw)
	if ok && jsTruthy(v) {
		// Array.isArray(workspaces.packages) ? workspaces.packages : workspaces
		list := v
		if v.IsObject() {
			for _, m := range jsMembers(v) {
				if m.key == "packages" && m.val.IsArray() {
					list = m.val
				}
			}
		}
		if !list.IsArray() {
			return nil, root.Path, &Error{Path: root.Path, Msg: fmt.Sprintf(
				`"workspaces" in %s must be an array or an object with a "packages" array (workspaces config expects an Array)`, root.Path)}
		}
		var out []string
		var bad error
		list.ForEach(func(_, e gjson.Result) bool {
			if e.Type != gjson.String {
				bad = &Error{Path: root.Path, Msg: fmt.Sprintf(`"workspaces" in %s must list strings, not %s`, root.Path, typeName(e.Raw))}
				return false
			}
			out = append(out, jsString(e.Raw))
			return true
		})
		return out, root.Path, bad
	}
	// Only an absent (or false, null, 0, "") field lets pnpm's file speak.
	p := filepath.Join(root.Dir, pnpmFile)
	data, err := readFile(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil, "", nil
		}
		return nil, p, err
	}
	list, err := pnpmyaml.Packages(p, data)
	if err != nil {
		return nil, p, &Error{Path: p, Msg: err.Error(), Err: err}
	}
	return list, p, nil
}

// splitNegated is map-workspaces' appendNegatedPatterns, step for step.
func splitNegated(all []string) (patterns, negated []string) {
	for _, p := range all {
		n := len(p) - len(strings.TrimLeft(p, "!"))
		p = p[n:]
		// strip off any / or ./ from the start: /^\.?\/+/
		if q := strings.TrimPrefix(p, "."); strings.HasPrefix(q, "/") {
			p = strings.TrimLeft(q, "/")
		}
		if n%2 == 1 {
			negated = append(negated, p)
			continue
		}
		// A positive pattern cancels the negations written before it that
		// match it. (npm's loop skips the entry after each one it removes;
		// so does this one.)
		for i := 0; i < len(negated); i++ {
			if minimatch.Match(negated[i], p, minimatch.Options{}) {
				negated = slices.Delete(negated, i, i+1)
			}
		}
		patterns = append(patterns, p)
	}
	for _, neg := range negated {
		mm := minimatch.Compile(neg, minimatch.Options{})
		patterns = slices.DeleteFunc(patterns, func(p string) bool { return mm.Match(p) })
	}
	return patterns, negated
}

// loadWorkspace reads dir/package.json for its name; ok is false when there
// is none (npm skips such a directory).
func loadWorkspace(dir string) (Workspace, bool, error) {
	p := filepath.Join(dir, fileName)
	data, err := readFile(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return Workspace{}, false, nil
		}
		return Workspace{}, false, err
	}
	obj, err := parseObject(p, data)
	if err != nil {
		return Workspace{}, false, err
	}
	ws := Workspace{Dir: dir, Path: p}
	obj.ForEach(func(k, v gjson.Result) bool {
		if jsString(k.Raw) == "name" {
			ws.Name = stringOrEmpty(v) // the last one wins
		}
		return true
	})
	// The strings above may share data's memory; give them their own.
	ws.Name = strings.Clone(ws.Name)
	ws.Key = ws.Name
	if ws.Key == "" {
		ws.Key = nameFromFolder(dir)
	}
	return ws, true, nil
}

// nameFromFolder is @npmcli/name-from-folder.
func nameFromFolder(dir string) string {
	base := filepath.Base(dir)
	if parent := filepath.Base(filepath.Dir(dir)); strings.HasPrefix(parent, "@") {
		return parent + "/" + base
	}
	return base
}

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
	start, err := absPath(dir)
	if err != nil {
		return "", fmt.Errorf("cannot resolve %s: %w", dir, err)
	}
	for d := start; ; {
		parent := filepath.Dir(d)
		if parent == d {
			return "", nil
		}
		d = parent
		p := filepath.Join(d, fileName)
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		root, err := Load(p)
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
	dir, err := absPath(cwd)
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
