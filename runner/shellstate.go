package runner

import (
	"os"
	"path/filepath"
	"strings"
)

// shellState is what a script's shell would carry from one command to the
// next: its directory, its environment and the last status.
type shellState struct {
	dir   string
	env   Env // the script's, shared until a command changes it
	owned bool
	last  status
}

// writable returns the state's environment for a change, copying the
// script's planned one first: most scripts change nothing.
func (sh *shellState) writable() *Env {
	if !sh.owned {
		sh.env, sh.owned = sh.env.Clone(), true
	}
	return &sh.env
}

// cd changes directory as dash's cd does without options: the new PWD is
// the logical path (".." removed textually), OLDPWD the old PWD, and a
// directory that cannot be entered leaves both alone with status 2.
func (sh *shellState) cd(arg string, say func(string, ...any)) status {
	logical := arg
	if !filepath.IsAbs(arg) {
		base := sh.env.Get("PWD")
		if base == "" {
			base = sh.dir
		}
		logical = filepath.Join(base, arg)
	}
	logical = filepath.Clean(logical)
	fi, err := os.Stat(logical)
	if err != nil || !fi.IsDir() {
		// sh says so on stderr and goes on with status 2.
		say("cd: can't cd to %s", arg)
		return status{code: 2}
	}
	old := sh.env.Get("PWD")
	sh.writable().Set("OLDPWD", old)
	sh.writable().Set("PWD", logical)
	sh.dir = logical
	return status{}
}

// set applies NAME=value pairs. An export always reaches later programs; a
// plain assignment only changes a variable that is already exported, as
// an unexported shell variable never reaches a program.
func (sh *shellState) set(pairs []string, export bool) {
	for _, kv := range pairs {
		name, value, _ := strings.Cut(kv, "=")
		if export || sh.env.index(name) >= 0 {
			sh.writable().Set(name, value)
		}
	}
}

// ScriptEnv is the environment a script's commands start with: env plus
// what npm sets for each script, and PWD naming dir (sh exports it, so
// programs nrun starts directly must see it too).
func ScriptEnv(env Env, event, line, dir string) Env {
	e := env.Clone()
	e.Set("npm_lifecycle_event", event)
	e.Set("npm_lifecycle_script", line)
	e.Set("NODE_RUN_SCRIPT_NAME", event)
	e.Set("PWD", dir)
	return e
}

// NestedEnv is the environment a nested `npm run X` starts X with: the
// calling script's environment, with INIT_CWD where the nested runner
// would have started (npm sets it anew).
func NestedEnv(caller Env, dir string) Env {
	e := caller.Clone()
	e.Set("INIT_CWD", dir)
	return e
}
