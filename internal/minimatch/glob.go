package minimatch

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// GlobDirs returns the directories below root (root itself as ".") that
// match one of patterns, as slash-separated paths relative to root, each
// once, in the order the walk finds them: callers sort. A directory that
// matches one of ignore (with Options.Dot) is left out, and so is
// everything inside a node_modules; see the package documentation for the
// rules on symlinks.
func GlobDirs(root string, patterns, ignore []string) []string {
	w := &walker{root: root, found: map[string]bool{}, dirs: map[string][]fs.DirEntry{}}
	for _, n := range ignore {
		m := Compile(n, Options{Dot: true})
		w.ignore = append(w.ignore, m)
		if strings.HasSuffix(n, "/**") || n == "**" {
			w.children = append(w.children, m)
		}
	}
	for _, p := range patterns {
		w.glob(p)
	}
	return w.out
}

type walker struct {
	root     string
	ignore   []Pattern // matched with Dot
	children []Pattern // those ending in /**: their directories' insides are skipped
	found    map[string]bool
	out      []string
	dirs     map[string][]fs.DirEntry
}

func (w *walker) glob(p string) {
	for _, alt := range ExpandBraces(slashes(p)) {
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
		w.walk(w.root, ".", segs, linksOK, false)
	}
}

// walk matches segs below abs. dir says that abs is already known to be a
// directory (its parent's listing said so), which spares a stat for each
// match of a pattern's last segment: hundreds in a big monorepo.
func (w *walker) walk(abs, rel string, segs []seg, linksOK, dir bool) {
	if len(segs) == 0 {
		if dir || isDir(abs) {
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
		w.walk(filepath.Join(abs, s.text), joinRel(rel, s.text), segs[1:], linksOK, false)
	case segMagic:
		for _, e := range w.readDir(abs) {
			name := e.Name()
			if name == "node_modules" || !matchPart(s, name, false) {
				continue
			}
			child := filepath.Join(abs, name)
			if e.IsDir() || (e.Type()&fs.ModeSymlink != 0 && isDir(child)) {
				w.walk(child, joinRel(rel, name), segs[1:], linksOK, true)
			}
		}
	case segGlobstar:
		rest := segs[1:]
		if len(rest) > 0 || rel != "." {
			w.walk(abs, rel, rest, linksOK, dir) // ** as no directory at all
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
					w.walk(child, childRel, segs, linksOK, true)
				}
			case e.Type()&fs.ModeSymlink != 0 && linksOK && isDir(child):
				// The link takes the place of the whole **: what follows
				// the ** applies inside it, and nothing deeper.
				w.walk(child, childRel, rest, linksOK, true)
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
		if m.Match(rel) || m.Match(rel+"/") {
			return
		}
	}
	w.found[rel] = true
	w.out = append(w.out, rel)
}

func (w *walker) childrenIgnored(rel string) bool {
	for _, m := range w.children {
		if m.Match(rel + "/") {
			return true
		}
	}
	return false
}

// readDir lists a directory once per walk; unreadable ones are empty, as
// they are to glob.
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
