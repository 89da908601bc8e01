//go:build unix

package runner

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// binTree makes dir/node_modules/.bin for each dir given (relative to
// root) with the mode given for node_modules and .bin, set after creation
// so that the umask plays no part.
func binTree(t testing.TB, root string, dirs map[string]os.FileMode) {
	t.Helper()
	for rel, mode := range dirs {
		nm := filepath.Join(root, rel, "node_modules")
		if err := os.MkdirAll(filepath.Join(nm, ".bin"), 0o700); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{nm, filepath.Join(nm, ".bin")} {
			if err := os.Chmod(d, mode); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// under keeps the entries below root: the machine's own ancestors of the
// test directory are not the test's business.
func under(root string, bp BinPath) (dirs []string, skipped map[string]string) {
	skipped = map[string]string{}
	for _, d := range bp.Dirs {
		if strings.HasPrefix(d, root+string(filepath.Separator)) {
			dirs = append(dirs, strings.TrimPrefix(d, root+string(filepath.Separator)))
		}
	}
	for _, s := range bp.Skipped {
		if strings.HasPrefix(s.Dir, root+string(filepath.Separator)) {
			skipped[strings.TrimPrefix(s.Dir, root+string(filepath.Separator))] = s.Reason
		}
	}
	return dirs, skipped
}

const nmBin = "node_modules/.bin"

// TestFindBinDirs: which ancestors' node_modules/.bin a package gets, for
// the cases the current user can make.
func TestFindBinDirs(t *testing.T) {
	root := t.TempDir()
	pkg := filepath.Join(root, "w", "open", "mine", "sticky", "loose", "pkg")
	binTree(t, root, map[string]os.FileMode{
		"w/open/mine/sticky/loose/pkg": 0o777, // the package's own: always used
		"w/open/mine/sticky":           0o755, // in a sticky, world-writable directory: fine
		"w/open/mine":                  0o755, // the user's, 755: used
		"w/open":                       0o777, // world-writable: skipped
		"w":                            0o775, // writable by a group: depends on the group
	})
	// loose: world-writable without the sticky bit, holding a trusted
	// node_modules that anyone could rename away.
	if err := os.MkdirAll(filepath.Join(root, "w/open/mine/sticky/loose/node_modules/.bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	for dir, mode := range map[string]os.FileMode{"w/open/mine/sticky": 0o777 | os.ModeSticky, "w/open/mine/sticky/loose": 0o777} {
		if err := os.Chmod(filepath.Join(root, dir), mode); err != nil {
			t.Fatal(err)
		}
	}
	// no .bin in node_modules: nothing to use, nothing to say.
	if err := os.MkdirAll(filepath.Join(root, "w/open/mine/node_modules/x"), 0o755); err != nil {
		t.Fatal(err)
	}

	dirs, skipped := under(root, FindBinDirs(pkg, ""))
	want := []string{"w/open/mine/sticky/loose/pkg/" + nmBin, "w/open/mine/sticky/" + nmBin, "w/open/mine/" + nmBin}
	groupOK := privateGroup(filepath.Join(root, "w/node_modules"), gidOf(t, filepath.Join(root, "w/node_modules")), uint32(os.Geteuid()))
	if groupOK {
		want = append(want, "w/"+nmBin)
	}
	if !slices.Equal(dirs, want) {
		t.Errorf("on PATH: %q, want %q", dirs, want)
	}
	wantSkipped := map[string]string{
		"w/open/" + nmBin:                   "w/open/node_modules is writable by others (drwxrwxrwx)",
		"w/open/mine/sticky/loose/" + nmBin: "w/open/mine/sticky/loose is writable by others without the sticky bit (drwxrwxrwx), so its node_modules can be replaced",
	}
	if !groupOK {
		wantSkipped["w/"+nmBin] = "w/node_modules is writable by group "
	}
	for dir, reason := range wantSkipped {
		if got, ok := skipped[dir]; !ok || !strings.HasPrefix(got, filepath.Join(root, reason)) {
			t.Errorf("skipped %s: %q, want %q", dir, got, filepath.Join(root, reason))
		}
	}
	if len(skipped) != len(wantSkipped) {
		t.Errorf("skipped %q, want only %q", skipped, wantSkipped)
	}

	// NRUN_TRUST_BIN_DIRS takes listed directories as they are; relative
	// entries mean nothing.
	trust := filepath.Join(root, "w/open/node_modules/.bin/") + string(os.PathListSeparator) + "loose/node_modules/.bin"
	dirs, skipped = under(root, FindBinDirs(pkg, trust))
	if !slices.Contains(dirs, "w/open/"+nmBin) || skipped["w/open/"+nmBin] != "" {
		t.Errorf("listed in %s: on PATH %q, skipped %q", TrustBinDirsVar, dirs, skipped)
	}
	if slices.Contains(dirs, "w/open/mine/sticky/loose/"+nmBin) {
		t.Errorf("a relative entry was honoured: %q", dirs)
	}
}

// TestFindBinDirsSymlinks: a linked node_modules or .bin counts as what it
// leads to, and a dangling one as nothing.
func TestFindBinDirsSymlinks(t *testing.T) {
	root := t.TempDir()
	binTree(t, root, map[string]os.FileMode{"store/good": 0o755, "store/bad": 0o777})
	for link, target := range map[string]string{
		"good/node_modules":          "../store/good/node_modules",
		"good/bad/node_modules":      "../../store/bad/node_modules",
		"good/bad/gone/node_modules": "../../../store/none",
	} {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(link)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	pkg := filepath.Join(root, "good/bad/gone/pkg")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	dirs, skipped := under(root, FindBinDirs(pkg, ""))
	if want := []string{"good/bad/gone/pkg/" + nmBin, "good/" + nmBin}; !slices.Equal(dirs, want) {
		t.Errorf("on PATH: %q, want %q", dirs, want)
	}
	if r := skipped["good/bad/"+nmBin]; !strings.Contains(r, "good/bad/node_modules is writable by others") || len(skipped) != 1 {
		t.Errorf("skipped: %q, want good/bad's (its link's target is world-writable)", skipped)
	}
}

// TestFindBinDirsOtherOwner: another user's node_modules, .bin, link or
// directory holding node_modules is never used (chown needs root).
func TestFindBinDirsOtherOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("SKIP: chown to another user needs root; CI runs this as root")
	}
	const nobody = 65534
	root := t.TempDir()
	binTree(t, root, map[string]os.FileMode{"a": 0o755, "a/b": 0o755, "a/b/c": 0o755, "a/b/c/d": 0o755, "store": 0o755})
	chown := func(rel string, link bool) {
		p := filepath.Join(root, rel)
		f := os.Chown
		if link {
			f = os.Lchown
		}
		if err := f(p, nobody, nobody); err != nil {
			t.Fatal(err)
		}
	}
	chown("a/b/c/d/node_modules/.bin", false) // .bin another user's
	chown("a/b/c/node_modules", false)        // node_modules another user's
	chown("a/b", false)                       // the directory holding node_modules
	if err := os.MkdirAll(filepath.Join(root, "a/b/c/d/e"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "store/node_modules"), filepath.Join(root, "a/b/c/d/e/node_modules")); err != nil {
		t.Fatal(err)
	}
	chown("a/b/c/d/e/node_modules", true) // a link another user made to a trusted directory
	pkg := filepath.Join(root, "a/b/c/d/e/pkg")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	dirs, skipped := under(root, FindBinDirs(pkg, ""))
	if want := []string{"a/b/c/d/e/pkg/" + nmBin, "a/" + nmBin}; !slices.Equal(dirs, want) {
		t.Errorf("on PATH: %q, want %q", dirs, want)
	}
	for dir, reason := range map[string]string{
		"a/b/c/d/e/" + nmBin: "a/b/c/d/e/node_modules is a symbolic link owned by uid 65534",
		"a/b/c/d/" + nmBin:   "a/b/c/d/node_modules/.bin is owned by uid 65534",
		"a/b/c/" + nmBin:     "a/b/c/node_modules is owned by uid 65534",
		"a/b/" + nmBin:       "a/b is owned by uid 65534",
	} {
		if got := skipped[dir]; !strings.HasPrefix(got, filepath.Join(root, reason)) || !strings.Contains(got, "not by you or root") {
			t.Errorf("skipped %s: %q, want %q…", dir, got, filepath.Join(root, reason))
		}
	}
}

// TestPrivateGroup: group write is accepted only for a group whose one
// member is the owner.
func TestPrivateGroup(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	oldPasswd, oldGroup := passwdFile, groupFile
	t.Cleanup(func() { passwdFile, groupFile = oldPasswd, oldGroup })
	passwdFile = write("passwd", "root:x:0:0::/root:/bin/sh\nann:x:1000:1000::/home/ann:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\ncy:x:1002:100::/home/cy:/bin/sh\ndee:x:1003:100::/home/dee:/bin/sh\n")
	groupFile = write("group", "root:x:0:\nusers:x:100:\nann:x:1000:\nbob:x:1001:ann\nshared:x:1004:ann,bob\nsolo:x:1005:ann\nempty:x:1006:\n")
	for _, c := range []struct {
		gid, owner uint32
		want       bool
	}{
		{1000, 1000, true},  // ann's own group
		{0, 0, true},        // root's
		{1001, 1001, false}, // bob's, but ann is listed in it
		{1001, 1000, false}, // bob's primary group
		{100, 1002, false},  // cy and dee share it
		{1004, 1000, false}, // two listed members
		{1005, 1000, false}, // ann listed, but not her primary group: not the pattern
		{1006, 1000, false}, // nobody in it
	} {
		if got := privateGroup(dir, c.gid, c.owner); got != c.want {
			t.Errorf("gid %d, owner %d: %v, want %v", c.gid, c.owner, got, c.want)
		}
	}
}

func gidOf(t *testing.T, path string) uint32 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return statOf(fi).Gid
}

// BenchmarkFindBinDirs: a package 10 levels deep, as nrun decides on every
// start. Most ancestors have no node_modules (one Lstat each); two have one
// (a trusted one and a world-writable one, which costs the warning's text).
func BenchmarkFindBinDirs(b *testing.B) {
	for _, c := range []struct {
		name string
		bins map[string]os.FileMode
	}{
		{"none", nil},
		{"monorepo", map[string]os.FileMode{"src/org/repo": 0o755}},
		{"untrusted", map[string]os.FileMode{"src/org/repo": 0o755, "src": 0o777}},
	} {
		b.Run(c.name, func(b *testing.B) {
			root := b.TempDir()
			pkg := filepath.Join(root, "src", "org", "repo", "packages", "a", "b", "c", "d")
			if err := os.MkdirAll(pkg, 0o755); err != nil {
				b.Fatal(err)
			}
			binTree(b, root, c.bins)
			b.ReportAllocs()
			for b.Loop() {
				FindBinDirs(pkg, "")
			}
		})
	}
}
