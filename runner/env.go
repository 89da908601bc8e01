package runner

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Env is an environment in which every key appears once. libc's getenv
// takes the first of two equal keys and Go's os/exec the last, so a
// duplicate would make exec and supervise modes disagree; Env never has one.
type Env struct {
	kv []string
}

// NewEnv copies environ, keeping the first of any duplicate keys (the one
// getenv would have shown nrun itself).
func NewEnv(environ []string) Env {
	e := Env{kv: make([]string, 0, len(environ)+16)}
	for _, kv := range environ {
		if k, _, ok := strings.Cut(kv, "="); ok && k != "" && e.index(k) < 0 {
			e.kv = append(e.kv, kv)
		}
	}
	return e
}

// index returns the position of key, compared as the OS compares names.
func (e Env) index(key string) int {
	for i, kv := range e.kv {
		if len(kv) > len(key) && kv[len(key)] == '=' && sameKey(kv[:len(key)], key) {
			return i
		}
	}
	return -1
}

func sameKey(a, b string) bool {
	if runtime.GOOS == "windows" {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// Get returns the value of key, or "".
func (e Env) Get(key string) string {
	if i := e.index(key); i >= 0 {
		return e.kv[i][len(key)+1:]
	}
	return ""
}

// Set replaces key's value in place, keeping the spelling of an existing
// key (Windows' "Path" stays "Path"), or appends it.
func (e *Env) Set(key, value string) {
	if i := e.index(key); i >= 0 {
		key = e.kv[i][:len(key)]
		e.kv[i] = key + "=" + value
		return
	}
	e.kv = append(e.kv, key+"="+value)
}

// SetPair sets a "NAME=value" string.
func (e *Env) SetPair(kv string) {
	if k, v, ok := strings.Cut(kv, "="); ok {
		e.Set(k, v)
	}
}

// Clone returns an independent copy.
func (e Env) Clone() Env {
	return Env{kv: append(make([]string, 0, len(e.kv)+4), e.kv...)}
}

// List returns the environment for exec; callers must not modify it.
func (e Env) List() []string { return e.kv }

// BinDirs returns dir/node_modules/.bin for dir and every ancestor,
// nearest first, as npm puts them on PATH.
func BinDirs(dir string) []string {
	var dirs []string
	for {
		dirs = append(dirs, filepath.Join(dir, "node_modules", ".bin"))
		parent := filepath.Dir(dir)
		if parent == dir {
			return dirs
		}
		dir = parent
	}
}

// Package is what the environment needs to know of the package whose
// script runs; cmd fills it from package.json.
type Package struct {
	Dir     string // the package directory, the scripts' working directory
	JSON    string // absolute path of package.json
	Name    string
	Version string
}

// NpmEnv returns environ with what `npm run` and `node --run` add for every
// script of pkg: PATH, the package variables, INIT_CWD and npm_execpath.
// The per-script variables are set by Run for each step.
func NpmEnv(environ []string, pkg Package, initCwd string) Env {
	env := NewEnv(environ)
	pathKey := "PATH"
	path := env.Get(pathKey)
	dirs := BinDirs(pkg.Dir)
	if path != "" {
		dirs = append(dirs, path)
	}
	env.Set(pathKey, strings.Join(dirs, string(os.PathListSeparator)))
	env.Set("npm_package_json", pkg.JSON)
	// npm derives these from package.json fields and sets nothing for an
	// absent field.
	if pkg.Name != "" {
		env.Set("npm_package_name", pkg.Name)
	}
	if pkg.Version != "" {
		env.Set("npm_package_version", pkg.Version)
	}
	env.Set("npm_config_local_prefix", pkg.Dir)
	env.Set("npm_command", "run")
	env.Set("INIT_CWD", initCwd)
	if exe, err := os.Executable(); err == nil {
		env.Set("npm_execpath", exe)
	}
	env.Set("NODE_RUN_PACKAGE_JSON_PATH", pkg.JSON)
	if node, err := LookPath("node", env.Get(pathKey), pkg.Dir); err == nil {
		env.Set("NODE", node)
		env.Set("npm_node_execpath", node)
	}
	return env
}
