package shell

import (
	"slices"
	"strings"
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
	name, args, ifPresent, ok := runnerCall(cmd.Argv, pl.npmExecPath())
	if !ok || !pl.scripts(name) && !ifPresent {
		return
	}
	*cmd = Cmd{Kind: Run, Argv: cmd.Argv, Script: name, Args: args, IfPresent: ifPresent, Exports: exports}
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
// runs and the arguments it passes on.
func runnerCall(argv []string, self string) (name string, args []string, ifPresent, ok bool) {
	prog := argv[0]
	if self != "" && prog == self {
		prog = "nrun"
	}
	rest := argv[1:]
	switch prog {
	case "npm":
		return npmCall(rest)
	case "yarn", "pnpm":
		if len(rest) > 0 && rest[0] == "run" {
			rest = rest[1:]
		} else if len(rest) > 0 && builtinCommand(prog, rest[0]) {
			return "", nil, false, false
		}
		return flagsThenScript(rest, false)
	case "bun":
		if len(rest) == 0 || rest[0] != "run" {
			return "", nil, false, false
		}
		return flagsThenScript(rest[1:], false)
	case "nrun":
		if len(rest) > 0 && (rest[0] == "run" || rest[0] == "run-script") {
			rest = rest[1:]
		}
		return flagsThenScript(rest, true)
	}
	return "", nil, false, false
}

// npmCall reads npm's own syntax: npm parses flags anywhere before "--",
// so a flag after the script name is npm's, not the script's.
func npmCall(rest []string) (string, []string, bool, bool) {
	if len(rest) == 0 {
		return "", nil, false, false
	}
	var name string
	switch rest[0] {
	case "run", "run-script", "rum", "urn":
		rest = rest[1:]
	case "start", "test", "stop", "restart", "t", "tst":
		name = map[string]string{"t": "test", "tst": "test"}[rest[0]]
		if name == "" {
			name = rest[0]
		}
		rest = rest[1:]
	default:
		return "", nil, false, false
	}
	var args []string
	ifPresent := false
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			args = append(args, rest[i+1:]...)
			i = len(rest)
		case a == "-s" || a == "--silent":
		case a == "--if-present":
			ifPresent = true
		case strings.HasPrefix(a, "-"):
			return "", nil, false, false
		case name == "":
			name = a
		default:
			args = append(args, a)
		}
	}
	return name, args, ifPresent, name != ""
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
