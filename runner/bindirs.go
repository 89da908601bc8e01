package runner

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// TrustBinDirsVar names the environment variable that lists, PATH-style,
// node_modules/.bin directories of ancestors to use as they are, without
// the ownership check. Nested nruns inherit it with the environment.
const TrustBinDirsVar = "NRUN_TRUST_BIN_DIRS"

// BinPath is the node_modules/.bin part of a script's PATH.
type BinPath struct {
	// Dirs go on PATH, nearest first: the package's own, always (its
	// scripts can already do anything), then each ancestor's that exists
	// and that only the user or an administrator can change.
	Dirs []string
	// Skipped are the ancestors' that exist but that someone else could
	// change, nearest first, each with the reason.
	Skipped []SkippedBinDir
}

// SkippedBinDir is an ancestor's node_modules/.bin left off PATH.
type SkippedBinDir struct {
	Dir    string `json:"dir"`
	Reason string `json:"reason"`
}

// FindBinDirs decides which node_modules/.bin directories a package in dir
// gets on PATH. npm puts every ancestor's there, so anyone who can create
// /tmp/node_modules/.bin/node (or a .bin in a shared /srv, or C:\ on
// Windows) runs code in every project below it. nrun uses an ancestor's
// only when node_modules and node_modules/.bin exist and neither can be
// changed by another user, and the directory holding node_modules does not
// let another user replace it (trustedDir and trustedParent, per OS).
//
// An ancestor without node_modules/.bin is left off: put on PATH, it would
// let whoever can create it later (in a shared directory) reach programs
// the script starts. trusted is NRUN_TRUST_BIN_DIRS's value: the .bin
// directories it lists are used as they are, unchecked.
//
// The cost is one Lstat per ancestor; only an existing node_modules costs
// more (two more stats, or a security descriptor on Windows).
func FindBinDirs(dir, trusted string) BinPath {
	bp := BinPath{Dirs: []string{filepath.Join(dir, "node_modules", ".bin")}}
	accept := trustList(trusted)
	for {
		parent := filepath.Dir(dir)
		if parent == dir {
			return bp
		}
		dir = parent
		bin := filepath.Join(dir, "node_modules", ".bin")
		if accept[trustKey(bin)] {
			bp.Dirs = append(bp.Dirs, bin)
			continue
		}
		switch reason, ok := checkAncestor(dir); {
		case ok:
			bp.Dirs = append(bp.Dirs, bin)
		case reason != "":
			bp.Skipped = append(bp.Skipped, SkippedBinDir{Dir: bin, Reason: reason})
		}
	}
}

// checkAncestor reports whether dir's node_modules/.bin can go on PATH,
// or why not; neither when there is none.
func checkAncestor(dir string) (reason string, ok bool) {
	nm := filepath.Join(dir, "node_modules")
	for _, p := range []string{nm, filepath.Join(nm, ".bin")} {
		if reason, ok := checkEntry(p); !ok {
			return reason, false
		}
	}
	if reason := trustedParent(dir); reason != "" {
		return reason, false
	}
	return "", true
}

// checkEntry checks node_modules or .bin. A symbolic link (or, on Windows,
// a junction) must itself be the user's or an administrator's, since its
// owner can point it elsewhere, and what it leads to must be a trusted
// directory. The directories on the way to the target are not checked.
func checkEntry(path string) (reason string, ok bool) {
	fi, err := os.Lstat(path)
	if err != nil {
		return "", false // nothing there: nothing to run
	}
	if isLink(fi) {
		if reason := trustedLink(path, fi); reason != "" {
			return reason, false
		}
		if fi, err = os.Stat(path); err != nil {
			return "", false // a dangling link
		}
	}
	if !fi.IsDir() {
		return "", false
	}
	if reason := trustedDir(path, fi); reason != "" {
		return reason, false
	}
	return "", true
}

// trustList reads NRUN_TRUST_BIN_DIRS: absolute directories, compared
// cleaned (and without regard to case on Windows); empty and relative
// entries are ignored.
func trustList(list string) map[string]bool {
	if list == "" {
		return nil
	}
	m := map[string]bool{}
	for _, d := range filepath.SplitList(list) {
		if filepath.IsAbs(d) {
			m[trustKey(d)] = true
		}
	}
	return m
}

func trustKey(dir string) string {
	dir = filepath.Clean(dir)
	if runtime.GOOS == "windows" {
		return strings.ToLower(dir)
	}
	return dir
}
