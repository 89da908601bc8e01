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
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

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

	w := newWalker(root.Dir, negated)
	for _, p := range patterns {
		w.glob(p)
	}
	matches := w.out
	// glob 8 sorted its results this way, and map-workspaces keeps it.
	slices.SortStableFunc(matches, collate)

	// Then the matches are grouped by pattern, in the order the patterns
	// are written; a match that fits no pattern is dropped, as in npm.
	var ordered []string
	seen := make(map[string]bool, len(matches))
	for _, p := range patterns {
		mm := compileMatch(p)
		for _, m := range matches {
			if !seen[m] && mm.match(m, true, false) {
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
	list, err := pnpmPackages(p, data)
	return list, p, err
}

// pnpmPackages reads the top-level "packages" list of a pnpm-workspace.yaml:
// a block sequence of plain, 'single' or "double" quoted items, or a flow
// sequence [a, 'b'], with comments and blank lines. Every other key is
// ignored.
func pnpmPackages(file string, data []byte) ([]string, error) {
	data = data[len(bomPrefix(data)):]
	lines := strings.Split(string(data), "\n")
	var (
		out   []string
		found bool
	)
	bad := func(n int, why string) error {
		return &Error{Path: file, Msg: fmt.Sprintf("%s line %d: %s", file, n+1, why)}
	}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		if line == "" || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == '-' {
			continue // not a top-level key (or a document marker)
		}
		key, rest, ok := yamlKey(line)
		if !ok || key != "packages" {
			continue
		}
		if found {
			return nil, bad(i, `"packages" appears twice`)
		}
		found = true
		rest = strings.TrimSpace(stripComment(rest))
		switch {
		case rest == "" || rest == "~" || rest == "null":
			// A block sequence follows (or nothing: no packages).
		case rest[0] == '[':
			// A flow sequence, possibly over several lines.
			text := rest
			for !flowClosed(text) && i+1 < len(lines) {
				i++
				text += " " + strings.TrimSpace(stripComment(strings.TrimRight(lines[i], "\r")))
			}
			items, err := flowItems(text)
			if err != nil {
				return nil, bad(i, err.Error())
			}
			out = append(out, items...)
			continue
		default:
			return nil, bad(i, `"packages" must be a list`)
		}
		for i+1 < len(lines) {
			next := strings.TrimRight(lines[i+1], "\r")
			body := strings.TrimLeft(next, " \t")
			if body == "" || body[0] == '#' {
				i++
				continue
			}
			if body[0] != '-' || (len(body) > 1 && body[1] != ' ' && body[1] != '\t') {
				if next[0] != ' ' && next[0] != '\t' {
					break // the next top-level key
				}
				i++ // a continuation line of something else: ignored
				continue
			}
			i++
			item, ok, err := yamlScalar(strings.TrimSpace(body[1:]))
			if err != nil {
				return nil, bad(i, err.Error())
			}
			if ok {
				out = append(out, item)
			}
		}
	}
	return out, nil
}

// yamlKey splits a top-level "key: rest" line; the key may be quoted.
func yamlKey(line string) (key, rest string, ok bool) {
	if line[0] == '\'' || line[0] == '"' {
		k, n, err := quoted(line)
		if err != nil {
			return "", "", false
		}
		after := strings.TrimLeft(line[n:], " \t")
		if !strings.HasPrefix(after, ":") {
			return "", "", false
		}
		return k, after[1:], true
	}
	for j := 0; j < len(line); j++ {
		if line[j] == ':' && (j+1 == len(line) || line[j+1] == ' ' || line[j+1] == '\t') {
			return strings.TrimRight(line[:j], " \t"), line[j+1:], true
		}
	}
	return "", "", false
}

// yamlScalar decodes one sequence item; ok is false for an empty (null) one.
func yamlScalar(s string) (string, bool, error) {
	if s == "" || s[0] == '#' {
		return "", false, nil
	}
	if s[0] == '\'' || s[0] == '"' {
		v, n, err := quoted(s)
		if err != nil {
			return "", false, err
		}
		if tail := strings.TrimSpace(s[n:]); tail != "" && tail[0] != '#' {
			return "", false, fmt.Errorf("unexpected %q after a quoted item", tail)
		}
		return v, true, nil
	}
	v := strings.TrimSpace(stripComment(s))
	if v == "~" || v == "null" {
		return "", false, nil
	}
	return v, true, nil
}

// quoted decodes the quoted YAML scalar at the start of s and returns how
// many bytes it took.
func quoted(s string) (string, int, error) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case q == '\'' && c == '\'':
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), i + 1, nil
		case q == '"' && c == '"':
			return b.String(), i + 1, nil
		case q == '"' && c == '\\' && i+1 < len(s):
			i++
			switch e := s[i]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case '0':
				b.WriteByte(0)
			default: // \\ \" \/ and the rest: the character itself
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, fmt.Errorf("unterminated %c-quoted item", q)
}

// stripComment removes a " #" comment from an unquoted YAML fragment,
// leaving quoted parts alone.
func stripComment(s string) string {
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '\'' || c == '"':
			q = c
		case c == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'):
			return s[:i]
		}
	}
	return s
}

// flowClosed reports whether a flow sequence's closing bracket has been seen.
func flowClosed(s string) bool {
	var q byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '\'' || c == '"':
			q = c
		case c == ']':
			return true
		}
	}
	return false
}

// flowItems decodes "[a, 'b', "c"]".
func flowItems(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	end := strings.LastIndexByte(s, ']')
	if end < 0 {
		return nil, errors.New(`unterminated "[" list`)
	}
	if tail := strings.TrimSpace(s[end+1:]); tail != "" {
		return nil, fmt.Errorf("unexpected %q after the list", tail)
	}
	body := s[1:end]
	var out []string
	for body = strings.TrimSpace(body); body != ""; {
		var item string
		if body[0] == '\'' || body[0] == '"' {
			v, n, err := quoted(body)
			if err != nil {
				return nil, err
			}
			item, body = v, strings.TrimSpace(body[n:])
		} else {
			j := strings.IndexByte(body, ',')
			if j < 0 {
				j = len(body)
			}
			item, body = strings.TrimSpace(body[:j]), body[j:]
		}
		if item != "" {
			out = append(out, item)
		}
		if body != "" {
			if body[0] != ',' {
				return nil, fmt.Errorf("expected \",\" at %q", body)
			}
			body = strings.TrimSpace(body[1:])
		}
	}
	return out, nil
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
			if compileMatch(negated[i]).match(p, false, false) {
				negated = slices.Delete(negated, i, i+1)
			}
		}
		patterns = append(patterns, p)
	}
	for _, neg := range negated {
		mm := compileMatch(neg)
		patterns = slices.DeleteFunc(patterns, func(p string) bool { return mm.match(p, false, false) })
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
		byRoot := compileMatch(globify(relativeFilter) + "/*")
		byArg := compileMatch(globify(arg) + "/*")
		exact := nodeResolve(relativeFrom, arg)
		for i, w := range all {
			if picked[i] {
				continue
			}
			rel := nodeRelative(relativeFrom, w.Dir)
			if strings.HasPrefix(arg, "./") {
				rel = "./" + rel
			}
			if arg == w.Key || exact == w.Dir || byRoot.match(rel, false, false) || byArg.match(rel, false, false) {
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

// globify turns backslashes into slashes, as npm does before matching.
func globify(p string) string { return strings.ReplaceAll(p, `\`, "/") }

// ---------------------------------------------------------------------------
// Pattern matching, as minimatch does it for the cases npm meets.

type segKind uint8

const (
	segLiteral segKind = iota
	segMagic
	segGlobstar
)

type seg struct {
	kind segKind
	text string // the literal, or a path.Match pattern
}

// matcher is one compiled minimatch pattern: its brace alternatives.
type matcher struct {
	alts    [][]seg
	negate  bool
	comment bool // "#…" matches nothing
	empty   bool // "" matches only ""
}

func compileMatch(p string) matcher { return compileMatchOpts(p, true) }

// MatchName reports whether name matches pattern as minimatch matches a
// path with negation off: npm-run-all's reading of script-name globs, once
// ":" and "/" have changed places in both (see cmd/nrun).
func MatchName(pattern, name string) bool {
	return compileMatchOpts(pattern, false).match(name, false, false)
}

func compileMatchOpts(p string, negation bool) matcher {
	var m matcher
	p = globify(p)
	if strings.HasPrefix(p, "#") {
		m.comment = true
		return m
	}
	if negation {
		n := len(p) - len(strings.TrimLeft(p, "!"))
		m.negate = n%2 == 1
		p = p[n:]
	}
	if p == "" {
		m.empty = true
		return m
	}
	for _, alt := range expandBraces(p) {
		m.alts = append(m.alts, compileSegs(levelOne(slashSplit(alt))))
	}
	return m
}

// match is minimatch(file, pattern, {partial, dot}).
func (m matcher) match(file string, partial, dot bool) bool {
	switch {
	case m.comment:
		return false
	case m.empty:
		return file == ""
	}
	if file == "/" && partial {
		return !m.negate
	}
	f := slashSplit(globify(file))
	for _, alt := range m.alts {
		if matchSegs(f, alt, partial, dot) {
			return !m.negate
		}
	}
	return m.negate
}

// slashSplit splits on runs of slashes, as minimatch does.
func slashSplit(p string) []string {
	parts := strings.Split(p, "/")
	out := parts[:0]
	for i, s := range parts {
		// Drop the empty parts between slashes, keeping a leading and a
		// trailing one.
		if s == "" && i > 0 && i < len(parts)-1 {
			continue
		}
		out = append(out, s)
	}
	return out
}

// levelOne is minimatch's default optimisation: adjacent ** become one, and
// "x/.." disappears when x is a plain part.
func levelOne(parts []string) []string {
	var out []string
	for _, s := range parts {
		var prev string
		if len(out) > 0 {
			prev = out[len(out)-1]
		}
		if s == "**" && prev == "**" {
			continue
		}
		if s == ".." && prev != "" && prev != ".." && prev != "." && prev != "**" {
			out = out[:len(out)-1]
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

func compileSegs(parts []string) []seg {
	segs := make([]seg, len(parts))
	for i, s := range parts {
		segs[i] = compileSeg(s)
	}
	return segs
}

func compileSeg(s string) seg {
	if s == "**" {
		return seg{kind: segGlobstar}
	}
	if !strings.ContainsAny(s, "*?[") {
		return seg{kind: segLiteral, text: s}
	}
	// path.Match negates a class with "^"; minimatch also takes "!".
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == '[' && i+1 < len(s) && s[i+1] == '!' {
			b.WriteByte('^')
			i++
		}
	}
	pat := b.String()
	if _, err := path.Match(pat, ""); err != nil {
		// An unclosed "[" is a literal character to minimatch.
		pat = strings.NewReplacer("[", `\[`, "]", `\]`).Replace(s)
	}
	return seg{kind: segMagic, text: pat}
}

// matchName matches one path part against one non-globstar part.
func matchName(s seg, name string, dot bool) bool {
	if s.kind == segLiteral {
		return s.text == name
	}
	if name == "." || name == ".." || name == "" {
		return false
	}
	if name[0] == '.' && !dot && !strings.HasPrefix(s.text, ".") {
		return false
	}
	ok, _ := path.Match(s.text, name)
	return ok
}

// badDot is what ** may not swallow.
func badDot(f string, dot bool) bool {
	return f == "." || f == ".." || (!dot && strings.HasPrefix(f, "."))
}

// matchSegs is minimatch's matchOne.
func matchSegs(file []string, pat []seg, partial, dot bool) bool {
	fi, pi := 0, 0
	for fi < len(file) && pi < len(pat) {
		p := pat[pi]
		if p.kind == segGlobstar {
			rest := pat[pi+1:]
			if len(rest) == 0 {
				// A trailing ** swallows the rest, which must not be
				// empty, nor hold a dot part.
				for _, f := range file[fi:] {
					if badDot(f, dot) {
						return false
					}
				}
				return true
			}
			for fr := fi; fr < len(file); fr++ {
				if matchSegs(file[fr:], rest, partial, dot) {
					return true
				}
				if badDot(file[fr], dot) {
					return false
				}
			}
			return partial
		}
		if !matchName(p, file[fi], dot) {
			return false
		}
		fi++
		pi++
	}
	switch {
	case fi == len(file) && pi == len(pat):
		return true
	case fi == len(file):
		return partial
	default: // pattern used up: only a trailing slash may remain
		return fi == len(file)-1 && file[fi] == ""
	}
}

// expandBraces expands {a,b} alternatives (nested too), as minimatch's
// brace-expansion does; a brace group without a comma stays literal.
func expandBraces(p string) []string {
	for i := 0; i < len(p); i++ {
		if p[i] != '{' {
			continue
		}
		depth, end := 0, -1
		var commas []int
		for j := i; j < len(p) && end < 0; j++ {
			switch p[j] {
			case '{':
				depth++
			case '}':
				if depth--; depth == 0 {
					end = j
				}
			case ',':
				if depth == 1 {
					commas = append(commas, j)
				}
			}
		}
		if end < 0 {
			return []string{p} // unbalanced: literal from here on
		}
		if len(commas) == 0 {
			continue // "{a}" is literal; look inside and after it
		}
		pre, post := p[:i], p[end+1:]
		var out []string
		start := i + 1
		for _, c := range append(commas, end) {
			out = append(out, expandBraces(pre+p[start:c]+post)...)
			start = c + 1
		}
		return out
	}
	return []string{p}
}

// ---------------------------------------------------------------------------
// The directory walk: glob(patterns + "/", {ignore: ["**/node_modules/**",
// ...negated]}) as npm calls it, reading only the directories a pattern
// can reach.

type walker struct {
	root     string
	ignore   []matcher // the negated patterns, matched with dot:true
	children []matcher // those ending in /**: their directories' insides are skipped
	found    map[string]bool
	out      []string
	dirs     map[string][]fs.DirEntry
}

func newWalker(root string, negated []string) *walker {
	w := &walker{root: root, found: map[string]bool{}, dirs: map[string][]fs.DirEntry{}}
	for _, n := range negated {
		m := compileMatch(n)
		w.ignore = append(w.ignore, m)
		if strings.HasSuffix(n, "/**") || n == "**" {
			w.children = append(w.children, m)
		}
	}
	return w
}

func (w *walker) glob(p string) {
	for _, alt := range expandBraces(globify(p)) {
		var segs []seg
		for _, s := range strings.Split(alt, "/") {
			if s == "" || s == "." {
				continue
			}
			if s == "**" && len(segs) > 0 && segs[len(segs)-1].kind == segGlobstar {
				continue
			}
			segs = append(segs, compileSeg(s))
		}
		// glob's ** enters no symlink when it starts the pattern; a later
		// ** may end at a symlinked directory, the rest of the pattern
		// then applying inside it, but does not go on below it.
		linksOK := len(segs) == 0 || segs[0].kind != segGlobstar
		w.walk(w.root, ".", segs, linksOK)
	}
}

func (w *walker) walk(abs, rel string, segs []seg, linksOK bool) {
	if len(segs) == 0 {
		if isDir(abs) {
			w.add(rel)
		}
		return
	}
	s := segs[0]
	switch s.kind {
	case segLiteral:
		if s.text == "node_modules" {
			return
		}
		w.walk(filepath.Join(abs, s.text), joinRel(rel, s.text), segs[1:], linksOK)
	case segMagic:
		for _, e := range w.readDir(abs) {
			name := e.Name()
			if name == "node_modules" || !matchName(s, name, false) {
				continue
			}
			child := filepath.Join(abs, name)
			if e.IsDir() || (e.Type()&fs.ModeSymlink != 0 && isDir(child)) {
				w.walk(child, joinRel(rel, name), segs[1:], linksOK)
			}
		}
	case segGlobstar:
		rest := segs[1:]
		if len(rest) > 0 || rel != "." {
			w.walk(abs, rel, rest, linksOK) // ** as no directory at all
		}
		for _, e := range w.readDir(abs) {
			name := e.Name()
			if name == "node_modules" || strings.HasPrefix(name, ".") {
				continue
			}
			child, childRel := filepath.Join(abs, name), joinRel(rel, name)
			switch {
			case e.IsDir():
				if !w.childrenIgnored(childRel) {
					w.walk(child, childRel, segs, linksOK)
				}
			case e.Type()&fs.ModeSymlink != 0 && linksOK && isDir(child):
				// The link takes the place of the whole **: what follows
				// the ** applies inside it, and nothing deeper.
				w.walk(child, childRel, rest, linksOK)
			}
		}
	}
}

func (w *walker) add(rel string) {
	if w.found[rel] {
		return
	}
	for _, part := range strings.Split(rel, "/") {
		if part == "node_modules" {
			return
		}
	}
	for _, m := range w.ignore {
		if m.match(rel, false, true) || m.match(rel+"/", false, true) {
			return
		}
	}
	w.found[rel] = true
	w.out = append(w.out, rel)
}

func (w *walker) childrenIgnored(rel string) bool {
	for _, m := range w.children {
		if m.match(rel+"/", false, true) {
			return true
		}
	}
	return false
}

// readDir lists a directory once per Workspaces call; unreadable ones are
// empty, as they are to glob.
func (w *walker) readDir(abs string) []fs.DirEntry {
	if es, ok := w.dirs[abs]; ok {
		return es
	}
	es, _ := os.ReadDir(abs)
	w.dirs[abs] = es
	return es
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func joinRel(rel, name string) string {
	if rel == "." {
		return name
	}
	return path.Join(rel, name)
}

// ---------------------------------------------------------------------------
// collate is a.localeCompare(b, "en") for the paths npm sorts: ICU's root
// collation, exact for ASCII. Case is ignored until everything else is equal
// (then lowercase first), punctuation sorts before digits and digits before
// letters, in ICU's order; control characters other than \t\n\v\f\r are
// ignored. Other characters sort after ASCII by code point. Ties ICU would
// call equal are broken bytewise, so the order is total.
func collate(a, b string) int {
	if c := collateLevel(a, b, primaryWeight); c != 0 {
		return c
	}
	if c := collateLevel(a, b, caseWeight); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// asciiOrder is ICU's root order of printable ASCII (letters stand for both
// cases), after the whitespace controls \t \n \v \f \r.
const asciiOrder = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz"

var asciiPrimary = func() (t [utf8.RuneSelf]int32) {
	for i := 0; i < len(asciiOrder); i++ {
		c := asciiOrder[i]
		t[c] = int32(i + 1)
		if 'a' <= c && c <= 'z' {
			t[c-'a'+'A'] = int32(i + 1)
		}
	}
	return t
}()

// primaryWeight is 0 for an ignorable character.
func primaryWeight(r rune) int32 {
	if r < utf8.RuneSelf {
		return asciiPrimary[r]
	}
	return utf8.RuneSelf + int32(len(asciiOrder)) + unicode.ToLower(r)
}

func caseWeight(r rune) int32 {
	if primaryWeight(r) == 0 {
		return 0
	}
	if unicode.IsUpper(r) {
		return 2
	}
	return 1
}

func collateLevel(a, b string, weight func(rune) int32) int {
	i, j := 0, 0
	for {
		var wa, wb int32
		for wa == 0 && i < len(a) {
			r, n := utf8.DecodeRuneInString(a[i:])
			i += n
			wa = weight(r)
		}
		for wb == 0 && j < len(b) {
			r, n := utf8.DecodeRuneInString(b[j:])
			j += n
			wb = weight(r)
		}
		switch {
		case wa == 0 && wb == 0:
			return 0
		case wa != wb:
			if wa < wb {
				return -1
			}
			return 1
		}
	}
}
