package workspaces

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/nrunjs/nrun/internal/collate"
	"github.com/nrunjs/nrun/internal/minimatch"
	"github.com/nrunjs/nrun/internal/pnpmyaml"
	"github.com/nrunjs/nrun/pkgjson"
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
// (see the package documentation). It returns (nil, nil) when the root
// declares no workspaces or its patterns match no package.
func Workspaces(root *pkgjson.Package) ([]Workspace, error) {
	ordered, src, err := candidates(root)
	if err != nil || len(ordered) == 0 {
		return nil, err
	}

	var list []Workspace
	byKey := make(map[string][]int, len(ordered))
	var keys []string // in order of first appearance
	for _, dir := range ordered {
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
		return nil, &pkgjson.Error{Path: src, Msg: fmt.Sprintf("workspaces of %s: must not have multiple workspaces with the same name: %s",
			src, strings.Join(conflicts, "; "))}
	}
	return list, nil
}

// candidates returns the absolute directories root's patterns match, in
// the order npm lists them: the workspaces, before the directories without
// a package.json are left out. src is the file that declares the patterns.
func candidates(root *pkgjson.Package) (dirs []string, src string, err error) {
	decl, src, err := declared(root)
	if err != nil || len(decl) == 0 {
		return nil, src, err
	}
	patterns, negated := splitNegated(decl)
	if len(patterns) == 0 {
		return nil, src, nil
	}

	matches := minimatch.GlobDirs(root.Dir, patterns, negated)
	// glob 8 sorted its results this way, and map-workspaces keeps it.
	slices.SortStableFunc(matches, collate.Compare)

	// Then the matches are grouped by pattern, in the order the patterns
	// are written; a match that fits no pattern is dropped, as in npm.
	seen := make(map[string]bool, len(matches))
	for _, p := range patterns {
		mm := minimatch.Compile(p, minimatch.Options{Partial: true})
		for _, m := range matches {
			if !seen[m] && mm.Match(m) {
				seen[m] = true
				dirs = append(dirs, filepath.Join(root.Dir, filepath.FromSlash(m)))
			}
		}
	}
	return dirs, src, nil
}

// declared returns the declared patterns and the file they come from;
// none when nothing is declared.
func declared(root *pkgjson.Package) ([]string, string, error) {
	list, declared, err := root.WorkspacePatterns()
	if declared {
		return list, root.Path, err
	}
	// Only an absent (or false, null, 0, "") field lets pnpm's file speak.
	p := filepath.Join(root.Dir, pnpmFile)
	data, err := pkgjson.ReadFile(p)
	if err != nil {
		if notExist(err) {
			return nil, "", nil
		}
		return nil, p, err
	}
	list, err = pnpmyaml.Packages(p, data)
	if err != nil {
		return nil, p, &pkgjson.Error{Path: p, Msg: err.Error(), Err: err}
	}
	return list, p, nil
}

// notExist reports whether a read failed because there is no such file.
func notExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
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
	p := filepath.Join(dir, "package.json")
	name, err := pkgjson.LoadName(p)
	if err != nil {
		if notExist(err) {
			return Workspace{}, false, nil
		}
		return Workspace{}, false, err
	}
	ws := Workspace{Name: name, Key: name, Dir: dir, Path: p}
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
