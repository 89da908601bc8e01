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
func LookPath(name, path, dir string) (string, error) {
	if strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator) {
		return name, checkExecutable(name, dir)
	}
	var denied string
	var searched []string
	for _, d := range filepath.SplitList(path) {
		if d == "" {
			d = "."
		}
		searched = append(searched, d)
		for _, cand := range candidates(filepath.Join(d, name)) {
			switch err := checkExecutable(cand, dir); {
			case err == nil:
				return cand, nil
			case errors.Is(err, ErrNotExecutable) && !errors.Is(err, errDirectory{}) && denied == "":
				denied = cand
			}
		}
	}
	if denied != "" {
		return "", fmt.Errorf("%s: %w", denied, ErrNotExecutable)
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
	p := file
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	fi, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("%s: %w", file, ErrNotFound)
	}
	if fi.IsDir() {
		return fmt.Errorf("%s: %w", file, errDirectory{})
	}
	if !fi.Mode().IsRegular() || !isExecutable(p, fi) {
		return fmt.Errorf("%s: %w", file, ErrNotExecutable)
	}
	return nil
}
