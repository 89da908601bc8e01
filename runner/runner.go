// Package runner starts the programs of a plan: the last one replaces nrun
// (execve) where the OS allows it, every other one runs as a child whose
// signals nrun forwards and whose status it mirrors.
package runner

import (
	"errors"
	"fmt"
	"path/filepath"
	"syscall"

	"github.com/nrunjs/nrun/shell"
)

// Step is one program start with the npm lifecycle it belongs to.
type Step struct {
	shell.Step
	Event  string // npm_lifecycle_event while it runs ("prestart" for a hook)
	Script string // npm_lifecycle_script: the script's line as written
}

// Plan is everything Run needs: where, with what environment, and what.
type Plan struct {
	Dir   string // working directory of every step
	Env   Env    // environment of every step, before per-step variables
	Steps []Step // run in order; a failure stops the rest
}

// Options are the choices the command line makes about how to run.
type Options struct {
	// Shell runs shell steps as `Shell -c LINE`; "" means /bin/sh.
	Shell string
	// NoExec keeps nrun as the parent of the last step as well.
	NoExec bool
	// Announce, if set, is called before each step starts.
	Announce func(Step)
}

// ExitError reports a step that ended unsuccessfully: by exiting with a
// non-zero code or, when Signal is non-zero, by dying of that signal.
type ExitError struct {
	Code   int
	Signal syscall.Signal
}

func (e *ExitError) Error() string {
	if e.Signal != 0 {
		return fmt.Sprintf("killed by signal %d", int(e.Signal))
	}
	return fmt.Sprintf("exit status %d", e.Code)
}

// errNoExec is returned by execve where the OS cannot replace a process.
var errNoExec = errors.New("execve is not available")

// Run runs the plan's steps in order. The last replaces nrun unless
// o.NoExec is set or the OS cannot; then, and for every earlier step, nrun
// waits for the child. It returns nil on success, an *ExitError when a
// step failed, or the error that kept a step from starting.
func Run(p Plan, o Options) error {
	for i, st := range p.Steps {
		env := stepEnv(p, st)
		path, argv, err := resolve(st.Step, o.Shell, env, p.Dir)
		if err != nil {
			return err
		}
		if o.Announce != nil {
			o.Announce(st)
		}
		if i == len(p.Steps)-1 && !o.NoExec {
			err := execve(path, argv, env.List(), p.Dir)
			if !errors.Is(err, errNoExec) {
				return err
			}
		}
		if err := runChild(path, argv, env.List(), p.Dir); err != nil {
			return err
		}
	}
	return nil
}

// stepEnv adds what changes from step to step. The line's own NAME=value
// assignments come last so they win, as they do in sh.
func stepEnv(p Plan, st Step) Env {
	env := p.Env.Clone()
	env.Set("npm_lifecycle_event", st.Event)
	env.Set("npm_lifecycle_script", st.Script)
	env.Set("NODE_RUN_SCRIPT_NAME", st.Event)
	// sh exports PWD naming its working directory; programs started
	// directly must see the same.
	env.Set("PWD", p.Dir)
	for _, kv := range st.Env {
		env.SetPair(kv)
	}
	return env
}

// resolve returns the file to start for a step and its argv. argv[0] stays
// as written, as sh leaves it; the file is found on the script's PATH.
func resolve(st shell.Step, sh string, env Env, dir string) (string, []string, error) {
	argv := st.Argv
	if st.Kind == shell.Shell {
		if sh == "" {
			sh = defaultShell()
		}
		argv = shellArgv(sh, st.Line)
	}
	path, err := LookPath(argv[0], env.Get("PATH"), dir)
	if err != nil {
		return "", nil, err
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	return path, argv, nil
}
