//go:build !unix

package runner

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// candidates returns the file names tried for one PATH entry: the name as
// given when it has an extension from PATHEXT, then the name with each one.
func candidates(file string) []string {
	exts := strings.Split(strings.ToLower(os.Getenv("PATHEXT")), ";")
	if len(exts) == 1 && exts[0] == "" {
		exts = []string{".com", ".exe", ".bat", ".cmd"}
	}
	var out []string
	if ext := strings.ToLower(filepath.Ext(file)); ext != "" {
		for _, e := range exts {
			if e == ext {
				out = append(out, file)
			}
		}
	}
	for _, e := range exts {
		if e != "" {
			out = append(out, file+e)
		}
	}
	return out
}

// isExecutable: on Windows, finding the file with an extension from PATHEXT
// is what makes it runnable.
func isExecutable(string, fs.FileInfo) bool { return true }
