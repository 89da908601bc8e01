package runner

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotFound and ErrNotExecutable classify start failures; nrun exits 127
// and 126 for them, as shells do.
var (
	ErrNotFound      = errors.New("command not found")
	ErrNotExecutable = errors.New("permission denied")
)

// LookPath finds name the way sh does, but on the script's PATH rather than
// nrun's: a name with a slash is taken as it is (relative to dir), otherwise
// each PATH entry is tried in order and an empty entry means dir. The
// first executable regular file wins; a non-executable one is remembered
// so the error can say "permission denied" rather than "not found".
//
// Every start looks node up this way (for NODE), through a dozen PATH
// entries that lack it, so a miss costs one stat and nothing else: the
// error naming what was searched is built only when nothing is found.
func LookPath(name, path, dir string) (string, error) {
	if strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator) {
		return name, checkExecutable(name, dir)
	}
	var denied string
	for _, d := range filepath.SplitList(path) {
		if d == "" {
			d = "."
		}
		for _, cand := range candidates(filepath.Join(d, name)) {
			switch fileKind(cand, dir) {
			case kindExecutable:
				return cand, nil
			case kindNotExecutable:
				if denied == "" {
					denied = cand
				}
			}
		}
	}
	if denied != "" {
		return "", fmt.Errorf("%s: %w", denied, ErrNotExecutable)
	}
	var searched []string
	for _, d := range filepath.SplitList(path) {
		if d == "" {
			d = "."
		}
		searched = append(searched, d)
	}
	return "", fmt.Errorf("%s: %w (searched %s)", name, ErrNotFound, strings.Join(searched, string(os.PathListSeparator)))
}

// errDirectory is a directory where a program was expected. sh's execve
// of it fails with EACCES: a path with a slash gives 126 ("/" or "./dir"),
// while on a PATH search sh goes on and ends with 127 if nothing else is
// found, as it does for a name that is not there.
type errDirectory struct{}

func (errDirectory) Error() string { return ErrNotExecutable.Error() }
func (errDirectory) Is(target error) bool {
	return target == ErrNotExecutable || target == errDirectory{}
}

// lookCommand finds the program of a command nrun starts itself where the
// script's shell would find it: on env's PATH as sh does on Unix, in
// cmd.exe's order on Windows (see commandPath).
func lookCommand(name string, env Env, dir string) (string, error) {
	return LookPath(name, commandPath(env, dir), dir)
}

// checkExecutable reports whether file, relative to dir, is an executable
// regular file.
func checkExecutable(file, dir string) error {
	switch fileKind(file, dir) {
	case kindMissing:
		return fmt.Errorf("%s: %w", file, ErrNotFound)
	case kindDirectory:
		return fmt.Errorf("%s: %w", file, errDirectory{})
	case kindNotExecutable:
		return fmt.Errorf("%s: %w", file, ErrNotExecutable)
	}
	return nil
}

// What fileKind finds where a program is looked for.
const (
	kindMissing = iota
	kindDirectory
	kindNotExecutable // a file that is not regular or not executable
	kindExecutable
)

// fileKind classifies file, relative to dir, for checkExecutable.
func fileKind(file, dir string) int {
	p := file
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		return kindMissing
	case fi.IsDir():
		return kindDirectory
	case !fi.Mode().IsRegular() || !isExecutable(p, fi):
		return kindNotExecutable
	}
	return kindExecutable
}
