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

// commandPath is the search path cmd.exe uses for a command without a
// directory, which npm's scripts run with: the current directory first,
// then PATH. Windows leaves the current directory out when
// NoDefaultCurrentDirectoryInExePath exists in the environment, whatever
// its value. The script's environment is the one cmd.exe would have.
func commandPath(env Env, dir string) string {
	path := env.Get("PATH")
	if _, ok := env.Lookup("NoDefaultCurrentDirectoryInExePath"); ok || dir == "" {
		return path
	}
	if strings.ContainsRune(dir, filepath.ListSeparator) {
		dir = `"` + dir + `"` // as filepath.SplitList reads it back
	}
	return dir + string(filepath.ListSeparator) + path
}

// candidates returns the file names tried in one directory, in cmd.exe's
// order: the name as given when it has an extension (an existing file
// with one is run, by its file association if it is no program), then
// the name with each extension of PATHEXT.
func candidates(file string) []string {
	var out []string
	if filepath.Ext(file) != "" {
		out = append(out, file)
	}
	return append(out, withPathExts(file)...)
}

// withPathExts returns file with each extension of PATHEXT appended.
func withPathExts(file string) []string {
	var out []string
	for _, e := range pathExts() {
		out = append(out, file+e)
	}
	return out
}

// isExecutable: on Windows, finding the file with an extension from PATHEXT
// is what makes it runnable.
func isExecutable(string, fs.FileInfo) bool { return true }
