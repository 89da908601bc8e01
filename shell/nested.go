package shell

import (
	"slices"
	"strings"

	"github.com/nrunjs/nrun/internal/npmconfig"
)

// nested turns a direct command that calls a package runner on a script of
// this package (npm run X, yarn X, pnpm X, bun run X, nrun X) into a Run
// command, so the script runs in place instead of in a new npm process.
// Only the exact forms below qualify; any other flag keeps the real
// runner, whose meaning nrun does not guess.
func (pl *planner) nested(cmd *Cmd) {
	if pl.cd || pl.scripts == nil {
		return // after cd the runner would look for another package.json
	}
	exports, ok := pl.exports()
	if !ok {
		return
	}
	name, args, ifPresent, config, ok := runnerCall(cmd.Argv, pl.npmExecPath(), pl.env)
	if !ok || !pl.scripts(name) && !ifPresent {
		return
	}
	*cmd = Cmd{Kind: Run, Argv: cmd.Argv, Script: name, Args: args, IfPresent: ifPresent, Exports: exports, Config: config}
}

// exports returns the variables the line exported so far, which a nested
// script inherits; ok is false when one of them is not known for sure.
func (pl *planner) exports() ([]string, bool) {
	var out []string
	for name, v := range pl.vars {
		if !v.exported {
			continue
		}
		if !v.known {
			return nil, false
		}
		if v.set {
			out = append(out, name+"="+v.value)
		}
	}
	slices.Sort(out)
	return out, true
}

func (pl *planner) npmExecPath() string {
	v, _ := pl.env("npm_execpath")
	return v
}

// runnerCall recognises a runner invocation and returns the script it
// runs, the arguments it passes on and, for npm's grammar, the
// npm_config_* variables its flags give the script.
func runnerCall(argv []string, self string, env Env) (name string, args []string, ifPresent bool, config []string, ok bool) {
	prog := argv[0]
	if self != "" && prog == self {
		prog = "nrun"
	}
	rest := argv[1:]
	switch prog {
	case "npm":
		return npmCall(rest, env)
	case "yarn", "pnpm":
		if len(rest) > 0 && rest[0] == "run" {
			rest = rest[1:]
		} else if len(rest) > 0 && builtinCommand(prog, rest[0]) {
			return "", nil, false, nil, false
		}
		name, args, ifPresent, ok = flagsThenScript(rest, false)
	case "bun":
		if len(rest) == 0 || rest[0] != "run" {
			return "", nil, false, nil, false
		}
		name, args, ifPresent, ok = flagsThenScript(rest[1:], false)
	case "nrun":
		if len(rest) > 0 && (rest[0] == "run" || rest[0] == "run-script") {
			return npmCall(rest, env) // npm's grammar in npm's spelling
		}
		name, args, ifPresent, ok = flagsThenScript(rest, true)
	}
	return name, args, ifPresent, nil, ok
}

// npmCall reads npm's own syntax: npm parses flags anywhere before "--",
// so a flag after the script name is npm's, not the script's. A call runs
// in place when its flags are settings npm only passes on to the script,
// or the log level and --if-present; any other npm setting changes what
// npm does, so the real runner keeps it.
func npmCall(rest []string, env Env) (string, []string, bool, []string, bool) {
	if len(rest) == 0 {
		return "", nil, false, nil, false
	}
	var name string
	switch rest[0] {
	case "run", "run-script", "rum", "urn":
	case "start", "test", "stop", "restart":
		name = rest[0]
	case "t", "tst":
		name = "test"
	default:
		return "", nil, false, nil, false
	}
	r := npmconfig.Parse(rest[1:], npmconfig.Context{Lookup: env})
	if !r.OnlyPassedOn("loglevel", "if-present") {
		return "", nil, false, nil, false
	}
	args := r.Args
	if name == "" {
		if len(args) == 0 {
			return "", nil, false, nil, false
		}
		name, args = args[0], args[1:]
	}
	return name, args, r.Bool("if-present"), r.Env(), true
}

// flagsThenScript reads yarn, pnpm, bun and nrun syntax: runner flags, the
// script name, then the script's arguments verbatim. nrun drops one "--"
// after the name; the others' handling of "--" varies by version, so a
// call with one keeps the real runner.
func flagsThenScript(rest []string, isNrun bool) (string, []string, bool, bool) {
	ifPresent := false
	for len(rest) > 0 && strings.HasPrefix(rest[0], "-") {
		switch rest[0] {
		case "-s", "--silent":
		case "--if-present":
			ifPresent = true
		default:
			return "", nil, false, false
		}
		rest = rest[1:]
	}
	if len(rest) == 0 {
		return "", nil, false, false
	}
	name, args := rest[0], rest[1:]
	if isNrun && len(args) > 0 && args[0] == "--" {
		args = args[1:]
	} else if !isNrun && slices.Contains(args, "--") {
		return "", nil, false, false
	}
	return name, args, ifPresent, true
}

// builtinCommand reports the names yarn and pnpm take as their own
// commands before looking for a script.
func builtinCommand(prog, name string) bool {
	switch name {
	case "add", "audit", "bin", "cache", "config", "create", "dlx", "exec",
		"global", "help", "import", "info", "init", "install", "licenses", "link",
		"list", "login", "logout", "outdated", "owner", "pack", "patch",
		"publish", "rebuild", "remove", "root", "store", "tag", "team", "unlink",
		"update", "upgrade", "upgrade-interactive", "version", "versions", "why",
		"workspace", "workspaces", "node", "setup", "env", "fetch", "prune",
		"server", "deploy", "i", "up", "rm", "ls", "ln", "un", "uninstall", "x":
		return true
	}
	return false
}
