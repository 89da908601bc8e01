package watch

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// next waits (bounded) for the watcher's next burst.
func next(t *testing.T, w *Watcher) string {
	t.Helper()
	select {
	case p := <-w.C:
		return p
	case <-time.After(10 * time.Second):
		t.Fatal("no change reported after 10s")
		return ""
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func newWatcher(t *testing.T, paths, ignore []string) *Watcher {
	t.Helper()
	w, err := New(paths, ignore, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// TestWatchSkipsIgnored: changes under node_modules, .git, dist, an
// editor's swap file and a --watch-ignore glob never end a burst; the
// change before them does. Each write below comes after the one before,
// so a change not skipped would be reported instead.
func TestWatchSkipsIgnored(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"node_modules/pkg", ".git", "dist", "src", "logs"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w := newWatcher(t, []string{dir}, []string{"logs", "*.log"})
	write(t, filepath.Join(dir, "src/app.js"), "x")
	write(t, filepath.Join(dir, "node_modules/pkg/index.js"), "x")
	write(t, filepath.Join(dir, ".git/index"), "x")
	write(t, filepath.Join(dir, "dist/app.js"), "x")
	write(t, filepath.Join(dir, "src/.app.js.swp"), "x")
	write(t, filepath.Join(dir, "logs/today"), "x")
	write(t, filepath.Join(dir, "src/debug.log"), "x")
	if got, want := next(t, w), filepath.Join(dir, "src/app.js"); got != want {
		t.Errorf("change %s, want %s", got, want)
	}
	// Had a skipped change come after the burst, it would come before this.
	marker := filepath.Join(dir, "src/marker")
	write(t, marker, "x")
	if got := next(t, w); got != marker {
		t.Errorf("change %s, want %s", got, marker)
	}
}

// TestWatchGitignore: what the project's .gitignore files ignore, at
// their own level and below, never ends a burst.
func TestWatchGitignore(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, ".gitignore"), "# output\n*.log\n/tmp/\nlogs/\n!keep.log\n")
	write(t, filepath.Join(dir, "pkg/.gitignore"), "gen\n")
	for _, d := range []string{"tmp", "src/logs", "pkg/gen", "src/tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w := newWatcher(t, []string{dir}, nil)
	write(t, filepath.Join(dir, "src/app.js"), "x")
	write(t, filepath.Join(dir, "src/debug.log"), "x")
	write(t, filepath.Join(dir, "tmp/x"), "x")
	write(t, filepath.Join(dir, "src/logs/x"), "x")
	write(t, filepath.Join(dir, "pkg/gen/x.js"), "x")
	if got, want := next(t, w), filepath.Join(dir, "src/app.js"); got != want {
		t.Errorf("change %s, want %s", got, want)
	}
	// /tmp/ is anchored: src/tmp is watched.
	write(t, filepath.Join(dir, "src/tmp/x"), "x")
	if got, want := next(t, w), filepath.Join(dir, "src/tmp/x"); got != want {
		t.Errorf("change %s, want %s", got, want)
	}
}

// TestWatchNewDirectories: a directory created after the start is watched
// too, with what it holds.
func TestWatchNewDirectories(t *testing.T) {
	dir := t.TempDir()
	w := newWatcher(t, []string{dir}, nil)
	if err := os.MkdirAll(filepath.Join(dir, "a/b"), 0o755); err != nil {
		t.Fatal(err)
	}
	next(t, w) // the new directories themselves
	write(t, filepath.Join(dir, "a/b/c.js"), "x")
	if got, want := next(t, w), filepath.Join(dir, "a/b/c.js"); got != want {
		t.Errorf("change %s, want %s", got, want)
	}
}

// TestWatchEditorSaves: the ways editors save (in place; a new file
// renamed over the old one; a backup renamed away and the file written
// anew) are one burst each: one report, and the next report is the next
// save's.
func TestWatchEditorSaves(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "app.js")
	write(t, file, "v0")
	w := newWatcher(t, []string{dir}, nil)
	saves := []func(){
		func() { write(t, file, "v1") },
		func() { // atomic: write a temporary file, rename it over
			tmp := filepath.Join(dir, ".app.js.tmp1234")
			write(t, tmp, "v2")
			if err := os.Rename(tmp, file); err != nil {
				t.Fatal(err)
			}
		},
		func() { // vim: the old file becomes the backup, a new one is written
			if err := os.Rename(file, file+"~"); err != nil {
				t.Fatal(err)
			}
			write(t, file, "v3")
			os.Chmod(file, 0o644)
			os.Remove(file + "~")
		},
	}
	for i, save := range saves {
		save()
		if got := next(t, w); got != file {
			t.Errorf("save %d: change %s, want %s", i, got, file)
		}
		// Any second report of the same save would come before this one.
		marker := filepath.Join(dir, "marker"+string(rune('0'+i)))
		write(t, marker, "x")
		if got := next(t, w); got != marker {
			t.Errorf("save %d reported twice (then %s, want %s)", i, got, marker)
		}
	}
}

// TestWatchFile: a --watch-path that is a file reports its own changes,
// and not those of the files beside it.
func TestWatchFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config.json")
	write(t, file, "{}")
	w := newWatcher(t, []string{file}, nil)
	write(t, filepath.Join(dir, "other.json"), "{}")
	write(t, file, `{"a":1}`)
	if got := next(t, w); got != file {
		t.Errorf("change %s, want %s", got, file)
	}
}

func TestIgnored(t *testing.T) {
	for _, c := range []struct {
		rel   string
		dir   bool
		extra []string
		want  bool
	}{
		{"src/app.js", false, nil, false},
		{"node_modules/x/index.js", false, nil, true},
		{"packages/a/node_modules/x.js", false, nil, true},
		{".next/cache/x", false, nil, true},
		{".env", false, nil, false},
		{"build", true, nil, true},
		{"src/build.js", false, nil, false},
		{"src/app.js~", false, nil, true},
		{"tmp/x.txt", false, []string{"tmp"}, true},
		{"a/b/c.log", false, []string{"*.log"}, true},
		{"src/gen/x.ts", false, []string{"src/gen/**"}, true},
		{"src/gen2/x.ts", false, []string{"src/gen/**"}, false},
	} {
		if got := Ignored(c.rel, c.dir, c.extra); got != c.want {
			t.Errorf("Ignored(%q, %v, %q) = %v, want %v", c.rel, c.dir, c.extra, got, c.want)
		}
	}
}
