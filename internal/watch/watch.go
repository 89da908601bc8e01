// Package watch tells a restart loop that files of a project changed.
//
// It watches directory trees with fsnotify, adding the directories created
// later, and skips what a project writes itself or keeps for tools:
// dependencies, version control, dot-directories, build output and
// editors' swap and backup files (see Ignored). Changes come in bursts (an
// editor's save is a write to a temporary file, a rename over the old one,
// an attribute change...), so they are debounced: one value on C per burst,
// sent once the tree has been quiet for the delay.
package watch

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/nrunjs/nrun/internal/minimatch"
)

// IgnoredDirs are directories never watched, at any depth, besides every
// directory whose name starts with a dot (.git, .next, .cache...):
// installed dependencies and the usual build and test output folders.
var IgnoredDirs = []string{"node_modules", "dist", "build", "out", "coverage"}

// IgnoredFiles are file names whose changes never count: editors' swap,
// backup and lock files, written while one types.
var IgnoredFiles = []string{"*.swp", "*.swo", "*.swx", "*~", ".#*", "#*#", "4913", ".DS_Store"}

// Watcher watches directory trees and files.
type Watcher struct {
	// C receives the path of the last change of each burst (an editor's
	// atomic save ends with the file itself, after its temporary). It holds one
	// value: a burst while the last one is not taken yet is not repeated.
	C      chan string
	fs     *fsnotify.Watcher
	roots  []string            // directories watched with everything below
	files  map[string]bool     // paths watched as single files (their directory is watched)
	ignore []string            // globs: a path relative to its root, or a base name
	git    map[string][]string // directory → the patterns of its .gitignore
	delay  time.Duration
}

// New watches every path of paths (a directory with its tree, or a file)
// and skips those matching a glob of ignore, against the path relative
// to the watched directory or against the base name alone. It sends on
// C once no change has come for delay.
func New(paths, ignore []string, delay time.Duration) (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{C: make(chan string, 1), fs: fw, files: map[string]bool{}, git: map[string][]string{}, ignore: ignore, delay: delay}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err == nil {
			err = w.add(abs)
		}
		if err != nil {
			fw.Close()
			return nil, err
		}
	}
	go w.loop()
	return w, nil
}

// Close stops watching.
func (w *Watcher) Close() error { return w.fs.Close() }

func (w *Watcher) add(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		// The directory, not the file: an editor that saves by renaming
		// a new file over the old one would end a watch on the file.
		w.files[path] = true
		return w.fs.Add(filepath.Dir(path))
	}
	w.roots = append(w.roots, path)
	return w.addTree(path)
}

// addTree watches dir and every directory below it that is not ignored.
func (w *Watcher) addTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil // gone meanwhile, or unreadable: nothing to watch
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && w.ignored(p, true) {
			return filepath.SkipDir
		}
		w.readGitignore(p)
		if err := w.fs.Add(p); err != nil && p == dir {
			return err
		}
		return nil
	})
}

// ignored reports whether a change of path is to be skipped.
func (w *Watcher) ignored(path string, isDir bool) bool {
	if w.files[path] {
		return false
	}
	root := w.rootOf(path)
	if root == "" {
		return true // beside a watched file, or outside everything
	}
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return true
	}
	rel = filepath.ToSlash(rel)
	return Ignored(rel, isDir, w.ignore) || w.gitIgnored(path, isDir)
}

// readGitignore keeps the patterns of dir's .gitignore, if it has one.
// Negations ("!keep.log") are not followed: what they would bring back
// stays ignored.
func (w *Watcher) readGitignore(dir string) {
	data, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if err != nil {
		return
	}
	var pats []string
	for line := range strings.Lines(string(data)) {
		line = strings.TrimRight(line, "\r\n \t")
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		pats = append(pats, line)
	}
	w.git[dir] = pats
}

// gitIgnored reports whether a .gitignore of a directory above path
// ignores it, with git's rules: a pattern with a slash but at its end is
// relative to the .gitignore's directory, one without matches a name at
// any depth, and one ending in a slash matches directories only.
func (w *Watcher) gitIgnored(path string, isDir bool) bool {
	for dir, pats := range w.git {
		rel, err := filepath.Rel(dir, path)
		if err != nil || !filepath.IsLocal(rel) {
			continue
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		for _, p := range pats {
			dirOnly := strings.HasSuffix(p, "/")
			p = strings.TrimSuffix(p, "/")
			anchored := strings.Contains(p, "/")
			p = strings.TrimPrefix(p, "/")
			for i := range parts {
				if dirOnly && i == len(parts)-1 && !isDir {
					continue
				}
				name := parts[i]
				if anchored {
					name = strings.Join(parts[:i+1], "/")
				}
				if match(p, name) {
					return true
				}
			}
		}
	}
	return false
}

// rootOf is the watched directory path is in, or "".
func (w *Watcher) rootOf(path string) string {
	for _, r := range w.roots {
		if path == r || strings.HasPrefix(path, r+string(filepath.Separator)) {
			return r
		}
	}
	return ""
}

// Ignored reports whether rel, a slash-separated path relative to a
// watched directory, is skipped: when one of its directories is one of
// IgnoredDirs or starts with a dot, when its base name is one of
// IgnoredFiles, or when it or its base name matches a glob of extra.
func Ignored(rel string, isDir bool, extra []string) bool {
	parts := strings.Split(rel, "/")
	dirs := parts[:len(parts)-1]
	if isDir {
		dirs = parts
	}
	for _, d := range dirs {
		if strings.HasPrefix(d, ".") && d != "." && d != ".." {
			return true
		}
		for _, name := range IgnoredDirs {
			if d == name {
				return true
			}
		}
	}
	base := parts[len(parts)-1]
	if !isDir {
		for _, g := range IgnoredFiles {
			// Vim's swap file of app.js is .app.js.swp: a leading dot that
			// a glob's * would not match.
			if match(g, base) || match(g, strings.TrimPrefix(base, ".")) {
				return true
			}
		}
	}
	for _, g := range extra {
		g = strings.TrimSuffix(strings.TrimPrefix(g, "./"), "/")
		if match(g, rel) || match(g, base) {
			return true
		}
		// A glob naming a directory skips what is below it too.
		for i := range dirs {
			if match(g, strings.Join(parts[:i+1], "/")) {
				return true
			}
		}
	}
	return false
}

// match reports whether name matches glob as minimatch matches it, with
// "!" an ordinary character (a negation has no meaning in a skip list).
func match(glob, name string) bool {
	return minimatch.Match(glob, name, minimatch.Options{NoNegate: true})
}

// loop turns fsnotify's events into one value on C per burst.
func (w *Watcher) loop() {
	var quiet <-chan time.Time
	last := ""
	for {
		select {
		case ev, ok := <-w.fs.Events:
			if !ok {
				return
			}
			if !w.counts(ev) {
				continue
			}
			last = ev.Name
			quiet = time.After(w.delay) // a burst ends when quiet for the delay
		case _, ok := <-w.fs.Errors:
			if !ok {
				return
			}
		case <-quiet:
			select {
			case w.C <- last:
			default: // a change is already waiting to be taken
			}
			quiet = nil
		}
	}
}

// counts reports whether an event is a change to act on, and watches a
// directory that was just created (and what it already holds).
func (w *Watcher) counts(ev fsnotify.Event) bool {
	// An attribute change alone (touch, chmod, indexers, virus scanners)
	// changes no content.
	if ev.Op == fsnotify.Chmod {
		return false
	}
	fi, err := os.Lstat(ev.Name)
	isDir := err == nil && fi.IsDir()
	if w.ignored(ev.Name, isDir) {
		return false
	}
	// Gone (removed, renamed away): it may have been a directory, and a
	// build that deletes its dist must not count.
	if err != nil && w.ignored(ev.Name, true) {
		return false
	}
	if isDir && ev.Has(fsnotify.Create) {
		_ = w.addTree(ev.Name)
	}
	return true
}
