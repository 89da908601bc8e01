package runner

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// pathExts returns PATHEXT's extensions, lower case, or cmd.exe's default.
func pathExts() []string {
	var exts []string
	for _, e := range strings.Split(strings.ToLower(os.Getenv("PATHEXT")), ";") {
		if e != "" {
			if e[0] != '.' {
				e = "." + e
			}
			exts = append(exts, e)
		}
	}
	if len(exts) == 0 {
		exts = []string{".com", ".exe", ".bat", ".cmd"}
	}
	return exts
}

// candidates returns the file names tried for one PATH entry: the name as
// given when it has an extension from PATHEXT, then the name with each one.
func candidates(file string) []string {
	exts := pathExts()
	var out []string
	if ext := strings.ToLower(filepath.Ext(file)); ext != "" {
		for _, e := range exts {
			if e == ext {
				out = append(out, file)
				break
			}
		}
	}
	for _, e := range exts {
		out = append(out, file+e)
	}
	return out
}

// isExecutable: on Windows, finding the file with an extension from PATHEXT
// is what makes it runnable.
func isExecutable(string, fs.FileInfo) bool { return true }
