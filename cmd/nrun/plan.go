package main

import (
	"path/filepath"
	"runtime"
	"slices"

	"github.com/nrunjs/nrun/pkgjson"
	"github.com/nrunjs/nrun/runner"
	"github.com/nrunjs/nrun/shell"
)

// maxNesting bounds nested runner calls run in place; deeper ones (and
// cycles) start the real runner, which then does what it does.
const maxNesting = 32

// newPlan plans a line for the platform's shell: cmd.exe reads lines
// differently (backslashes, quotes, %VAR%), so on Windows only what sh and
// cmd read alike runs directly.
func newPlan(line string, args []string, env shell.Env, scripts shell.Scripts) shell.Plan {
	if runtime.GOOS == "windows" {
		return shell.NewCmd(line, args, env, scripts)
	}
	return shell.New(line, args, env, scripts)
}

// planner turns package.json scripts into runner scripts, running nested
// `npm run X` calls of the same package in place.
type planner struct {
	pkg           *pkgjson.Package
	ignoreScripts bool
	stack         []string // the scripts being expanded, to stop cycles
}

// planScripts returns the pre hook, the script and the post hook to run,
// nil when --if-present finds nothing to do, or the missing-script error.
// note says when the script is not from package.json; bins are the
// node_modules/.bin directories on PATH.
func planScripts(cfg *config, pkg *pkgjson.Package, env runner.Env, bins []string) (scripts []*runner.Script, note string, err error) {
	p := &planner{pkg: pkg, ignoreScripts: cfg.ignoreScripts}
	name := cfg.script
	if line, ok := pkg.Script(name); ok {
		return p.withHooks(name, line, cfg.args, env), "", nil
	}
	if name == "start" && isFile(filepath.Join(pkg.Dir, "server.js")) {
		// npm's documented default
		return p.withHooks(name, "node server.js", cfg.args, env), "no start script: npm's default, node server.js", nil
	}
	if cfg.ifPresent {
		return nil, "", nil
	}
	if binExists(pkg.Dir, bins, name) {
		// Like yarn and bun: a package's own tool runs by its name.
		return []*runner.Script{p.script(name, name, cfg.args, env)}, "no such script: running node_modules/.bin/" + name, nil
	}
	return nil, "", missingScript(pkg, name)
}

// withHooks plans a script between its pre and post hooks; the extra
// arguments go to the script only.
func (p *planner) withHooks(name, line string, args []string, env runner.Env) []*runner.Script {
	var list []*runner.Script
	if hook, ok := p.pkg.Script("pre" + name); ok && !p.ignoreScripts {
		list = append(list, p.script("pre"+name, hook, nil, env))
	}
	list = append(list, p.script(name, line, args, env))
	if hook, ok := p.pkg.Script("post" + name); ok && !p.ignoreScripts {
		list = append(list, p.script("post"+name, hook, nil, env))
	}
	return list
}

// script plans one line in the environment its commands will see.
func (p *planner) script(event, line string, args []string, env runner.Env) *runner.Script {
	senv := runner.ScriptEnv(env, event, line, p.pkg.Dir)
	plan := newPlan(line, args, senv.Lookup, p.isScript)
	s := &runner.Script{Event: event, Line: line, Env: senv, Cmds: make([]runner.Cmd, len(plan.Cmds))}
	p.stack = append(p.stack, event)
	for i, c := range plan.Cmds {
		s.Cmds[i] = p.nested(runner.Cmd{Cmd: c}, senv)
	}
	p.stack = p.stack[:len(p.stack)-1]
	return s
}

// nested plans the script a nested runner call names, or keeps the call a
// plain command when it would recurse.
func (p *planner) nested(c runner.Cmd, env runner.Env) runner.Cmd {
	if c.Kind != shell.Run {
		return c
	}
	if len(p.stack) >= maxNesting || slices.Contains(p.stack, c.Script) {
		c.Kind = shell.Direct
		return c
	}
	line, ok := p.pkg.Script(c.Script)
	if !ok {
		return c // --if-present and no such script: nothing to run
	}
	callee := env.Clone()
	for _, kv := range slices.Concat(c.Exports, c.Config) {
		callee.SetPair(kv)
	}
	c.Scripts = p.withHooks(c.Script, line, c.Args, runner.NestedEnv(callee, p.pkg.Dir))
	return c
}

func (p *planner) isScript(name string) bool {
	_, ok := p.pkg.Script(name)
	return ok
}
