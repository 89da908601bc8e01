package runner

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
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
	e.merge(environ, false)
	return e
}

// smallEnv is the size up to which a linear search for a key is cheaper
// than building an index.
const smallEnv = 16

// merge adds the NAME=value entries of kvs in order. An entry whose key is
// already present replaces it in place (keeping its spelling) when replace
// is set, and is dropped otherwise. Entries without "=" or with an empty
// name are dropped. Large inputs go through a map, so that a big inherited
// environment or thousands of config variables cost linear time.
func (e *Env) merge(kvs []string, replace bool) {
	if len(kvs) <= smallEnv {
		for _, kv := range kvs {
			k, _, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				continue
			}
			if i := e.index(k); i < 0 {
				e.kv = append(e.kv, kv)
			} else if replace {
				old, _, _ := strings.Cut(e.kv[i], "=")
				e.kv[i] = old + kv[len(k):]
			}
		}
		return
	}
	pos := make(map[string]int, len(e.kv)+len(kvs))
	for i, kv := range e.kv {
		k, _, _ := strings.Cut(kv, "=")
		pos[canonicalKey(k)] = i
	}
	for _, kv := range kvs {
		k, _, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			continue
		}
		ck := canonicalKey(k)
		if i, ok := pos[ck]; !ok {
			pos[ck] = len(e.kv)
			e.kv = append(e.kv, kv)
		} else if replace {
			old, _, _ := strings.Cut(e.kv[i], "=")
			e.kv[i] = old + kv[len(k):]
		}
	}
}

// canonicalKey maps keys that the OS considers equal to one string: itself
// on Unix, foldKey's representative on Windows.
func canonicalKey(k string) string {
	if runtime.GOOS != "windows" {
		return k
	}
	return foldKey(k)
}

// foldKey returns one representative of the keys strings.EqualFold
// considers equal to k: each rune becomes the smallest of its simple
// case-folding orbit (invalid UTF-8 becomes U+FFFD, which EqualFold also
// compares).
func foldKey(k string) string {
	ascii := true
	for i := 0; i < len(k); i++ {
		if k[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(k)
	}
	return strings.Map(func(r rune) rune {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		return m
	}, k)
}

// index returns the position of key, compared as the OS compares names.
func (e Env) index(key string) int {
	if runtime.GOOS == "windows" {
		for i, kv := range e.kv {
			if k, _, _ := strings.Cut(kv, "="); strings.EqualFold(k, key) {
				return i
			}
		}
		return -1
	}
	for i, kv := range e.kv {
		if len(kv) > len(key) && kv[len(key)] == '=' && kv[:len(key)] == key {
			return i
		}
	}
	return -1
}

// Get returns the value of key, or "".
func (e Env) Get(key string) string {
	v, _ := e.Lookup(key)
	return v
}

// Lookup returns the value of key and whether it is set; the planner
// expands variables with it.
func (e Env) Lookup(key string) (string, bool) {
	if i := e.index(key); i >= 0 {
		return e.kv[i][len(key)+1:], true
	}
	return "", false
}

// Set replaces key's value in place, keeping the spelling of an existing
// key (Windows' "Path" stays "Path"), or appends it.
func (e *Env) Set(key, value string) {
	if i := e.index(key); i >= 0 {
		k, _, _ := strings.Cut(e.kv[i], "=")
		e.kv[i] = k + "=" + value
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

// Package is what the environment needs to know of the package whose
// script runs; cmd fills it from package.json.
type Package struct {
	Dir  string // the package directory, the scripts' working directory
	JSON string // absolute path of package.json

	// BinDirs are the node_modules/.bin directories for PATH, nearest
	// first: FindBinDirs' Dirs.
	BinDirs []string

	// Vars are the npm_package_* variables of package.json, flattened as
	// npm flattens them (pkgjson.Package.NpmVars), in npm's order.
	Vars []string

	// UserAgent is npm_config_user_agent: set always, as npm sets its own.
	UserAgent string
}

// NpmEnv returns environ with what `npm run` and `node --run` add for every
// script of pkg; the per-script variables (npm_lifecycle_event,
// npm_lifecycle_script, NODE_RUN_SCRIPT_NAME) are set by Run for each step.
//
//	PATH                        pkg.BinDirs, then the inherited PATH
//	npm_package_*               name, version, config, engines, bin flattened as npm does (pkg.Vars)
//	npm_package_json            pkg.JSON
//	NODE_RUN_PACKAGE_JSON_PATH  pkg.JSON
//	npm_config_local_prefix     pkg.Dir
//	npm_command                 run
//	npm_config_user_agent       pkg.UserAgent
//	INIT_CWD                    initCwd
//	npm_execpath                nrun's own executable
//	NODE, npm_node_execpath     the node found on the new PATH (never run), if any
//
// Everything else is inherited as it is, with every key once (the first of
// inherited duplicates); npm_package_* variables of an outer package that
// this one does not define stay, as they do under npm.
func NpmEnv(environ []string, pkg Package, initCwd string) Env {
	env := NewEnv(environ)
	// On Windows Set finds "Path" (or any spelling) and keeps it.
	const pathKey = "PATH"
	path := env.Get(pathKey)
	dirs := slices.Clip(pkg.BinDirs)
	if path != "" {
		dirs = append(dirs, path)
	}
	env.Set(pathKey, strings.Join(dirs, string(os.PathListSeparator)))
	env.merge(pkg.Vars, true)
	env.Set("npm_package_json", pkg.JSON)
	env.Set("NODE_RUN_PACKAGE_JSON_PATH", pkg.JSON)
	env.Set("npm_config_local_prefix", pkg.Dir)
	env.Set("npm_command", "run")
	env.Set("npm_config_user_agent", pkg.UserAgent)
	env.Set("INIT_CWD", initCwd)
	if exe, err := os.Executable(); err == nil {
		env.Set("npm_execpath", exe)
	}
	if node, err := LookPath("node", env.Get(pathKey), pkg.Dir); err == nil {
		if !filepath.IsAbs(node) { // an empty or relative PATH entry
			node = filepath.Join(pkg.Dir, node)
		}
		env.Set("NODE", node)
		env.Set("npm_node_execpath", node)
	}
	return env
}
