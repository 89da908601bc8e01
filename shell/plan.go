// Package shell turns a package.json script line into a plan: the programs
// nrun can start itself, with exactly the argv and environment /bin/sh would
// give them, or the line handed to a shell when that cannot be proven.
package shell

import (
	"strconv"
	"strings"

	"github.com/nrunjs/nrun/internal/quote"
)

// Kind says what a command of a plan does.
type Kind uint8

const (
	// Direct commands are started by nrun: Env and Argv are final.
	Direct Kind = iota
	// Shell commands are the whole line given to the shell as Line.
	Shell
	// Cd changes the directory of the commands after it to Argv[0].
	Cd
	// Export sets the NAME=value pairs of Env for the commands after it.
	Export
	// Assign sets shell variables (Env); only those already in the
	// environment reach later programs, as in sh.
	Assign
	// Status ends with Code without running anything (true, :, false).
	Status
	// Exit ends the script with Code, or with the last status when Code < 0.
	Exit
	// Run runs the package's script Script with Args in place: a nested
	// `npm run X`, `yarn X`, `nrun X`...
	Run
)

// Cmd is one command of a plan.
type Cmd struct {
	Op   Op // how it joins the command before it
	Kind Kind
	Env  []string // Direct: leading assignments; Export, Assign: the pairs
	Argv []string // Direct: program as written and arguments; Cd: the directory
	Line string   // Shell: the script line as written, without Args
	Code int      // Status, Exit

	// Exec marks a command written with a leading exec: the script ends
	// when it does.
	Exec bool
	// Supervise marks a shell line whose last command the shell cannot
	// exec (a pipeline, a background job, a compound command): the shell
	// must stay the parent, so nrun must stay the shell's.
	Supervise bool

	// Shell: where `exec ` goes in the line sh runs (quote.ShLine), -1 for
	// nowhere; and, for cmd.exe, the line's first word as npm reads it.
	ExecAt  int
	Program string

	// Run: the script's name, its extra arguments, whether it may be
	// missing, and the variables exported before it (its environment).
	// Shell: the extra arguments, which the runner quotes for the shell.
	// Argv keeps the call as written, for a caller that declines to run
	// the script in place.
	Script    string
	Args      []string
	IfPresent bool
	Exports   []string
	// Config are the npm_config_* variables npm's flags in the call give
	// the script (npm run build --env=prod); the runner sets them.
	Config []string
}

// Plan is a script line as an and-or list of commands.
type Plan struct {
	Cmds []Cmd
}

// Env tells the planner the environment the line starts with.
type Env func(name string) (value string, ok bool)

// Scripts tells the planner which names are scripts of the package, so a
// nested runner call can be run in place.
type Scripts func(name string) bool

// New plans a script line with extra arguments appended, as npm appends
// them. A list of simple commands with literal or provably-expanded words
// becomes direct commands; anything else is one shell command.
func New(line string, args []string, env Env, scripts Scripts) Plan {
	full := quote.AppendSh(line, args)
	// sh takes a line that starts with - or + as options, and fails as
	// npm does; the shell keeps that behaviour.
	if full == "" || full[0] == '-' || full[0] == '+' {
		return Plan{Cmds: []Cmd{{Kind: Shell, Line: line, Args: args, ExecAt: -1, Supervise: true}}}
	}
	pl := planner{env: env, scripts: scripts, vars: map[string]variable{}}
	lx := lexer{line: full, vars: pl.lookup}
	var cmds []Cmd
	for {
		words, op, ok, done := lx.command()
		if done {
			break
		}
		if !ok {
			return shellPlan(line, args)
		}
		cmd, ok := pl.command(words)
		if !ok {
			return shellPlan(line, args)
		}
		cmd.Op = op
		pl.apply(cmd)
		cmds = append(cmds, cmd)
	}
	if len(cmds) == 0 {
		return shellPlan(line, args)
	}
	return Plan{Cmds: cmds}
}

// shellPlan gives the line to the shell, with `exec ` before its last
// command where the shell can exec it (see lastCommand).
func shellPlan(line string, args []string) Plan {
	at, ok := lastCommand(quote.AppendSh(line, args))
	if !ok {
		at = -1
	}
	return Plan{Cmds: []Cmd{{Kind: Shell, Line: line, Args: args, ExecAt: at, Supervise: !ok}}}
}

// variable is what the planner knows of a variable an earlier command of
// the line changed.
type variable struct {
	value    string
	set      bool
	known    bool // false once a conditional command may have changed it
	exported bool
}

// planner follows the line's variables and directory as it is planned.
type planner struct {
	env     Env
	scripts Scripts
	vars    map[string]variable
	cd      bool // a cd ran: the directory is no longer the package's
}

func (pl *planner) lookup(name string) (string, bool, bool) {
	if v, ok := pl.vars[name]; ok {
		return v.value, v.set, v.known
	}
	if name == "IFS" {
		return "", false, false
	}
	if _, ifs := pl.env("IFS"); ifs {
		// A shell may or may not import IFS; nrun does not guess.
		return "", false, false
	}
	v, ok := pl.env(name)
	return v, ok, true
}

// exported reports whether name is in the environment programs get.
func (pl *planner) exported(name string) bool {
	if v, ok := pl.vars[name]; ok {
		return v.exported
	}
	_, ok := pl.env(name)
	return ok
}

// command plans one simple command, or refuses it.
func (pl *planner) command(words []word) (Cmd, bool) {
	var cmd Cmd
	// Assignments are the leading NAME=value words as written: a word
	// that expands to nothing still ends them ("$EMPTY A=x" runs a
	// program named A=x), and only then vanishes.
	n := 0
	for n < len(words) && words[n].nameEnd > 0 {
		n++
	}
	words = append(words[:n:n], dropVanished(words[n:])...)
	i := 0
	for ; i < n; i++ {
		w := words[i]
		for _, r := range w.refs {
			if assigns(cmd.Env, r) {
				return cmd, false // shells differ on whether B=$A sees A=1 before it
			}
		}
		if w.text[:w.nameEnd] == "PATH" {
			return cmd, false // sh may search the new PATH for the command
		}
		cmd.Env = append(cmd.Env, w.text)
	}
	if i == len(words) {
		cmd.Kind = Assign
		return cmd, len(cmd.Env) > 0
	}
	name := words[i]
	if name.text == "exec" && !name.quoted && len(cmd.Env) == 0 && i+1 < len(words) {
		cmd.Exec = true
		i++
		name = words[i]
	}
	// A name that comes from an expansion could be a builtin or a
	// function, unless it is a path: then it is the program it names.
	fromExpansion := len(name.refs) > 0 && !strings.ContainsRune(name.text, '/')
	if name.text == "" || fromExpansion || !name.quoted && quote.Reserved(name.text) {
		return cmd, false
	}
	argv := texts(words[i:])
	if isBuiltin(name.text) {
		if len(cmd.Env) > 0 || cmd.Exec {
			return cmd, false // assignments before builtins outlive them in some shells
		}
		return pl.builtin(argv, words[i+1:])
	}
	cmd.Kind, cmd.Argv = Direct, argv
	if len(cmd.Env) == 0 && !cmd.Exec {
		pl.nested(&cmd)
	}
	return cmd, true
}

// builtin plans the builtins nrun runs itself: cd, export, exit, true, :,
// false. Every other builtin is the shell's.
func (pl *planner) builtin(argv []string, args []word) (Cmd, bool) {
	switch argv[0] {
	case "true", ":":
		return Cmd{Kind: Status}, true
	case "false":
		return Cmd{Kind: Status, Code: 1}, true
	case "exit":
		return planExit(argv[1:])
	case "cd":
		// One plain directory, no CDPATH: then cd neither searches nor
		// prints, and fails with status 2 only when chdir fails.
		if cdpath, _ := pl.env("CDPATH"); len(argv) != 2 || argv[1] == "" || argv[1][0] == '-' || cdpath != "" {
			return Cmd{}, false
		}
		return Cmd{Kind: Cd, Argv: argv[1:]}, true
	case "export":
		cmd := Cmd{Kind: Export}
		for _, w := range args {
			if w.nameEnd == 0 {
				return cmd, false // export NAME (no value) exports a shell variable
			}
			cmd.Env = append(cmd.Env, w.text)
		}
		return cmd, len(cmd.Env) > 0
	}
	return Cmd{}, false
}

func planExit(args []string) (Cmd, bool) {
	switch len(args) {
	case 0:
		return Cmd{Kind: Exit, Code: -1}, true
	case 1:
		n, err := strconv.Atoi(args[0])
		if err != nil || n > 255 || args[0][0] < '0' || args[0][0] > '9' {
			return Cmd{}, false
		}
		return Cmd{Kind: Exit, Code: n}, true
	}
	return Cmd{}, false
}

// apply records what a planned command does to the line's variables. A
// command after && or || may not run, so what it sets becomes unknown.
func (pl *planner) apply(cmd Cmd) {
	sure := cmd.Op == Seq
	set := func(kv string, exported bool) {
		name, value, _ := strings.Cut(kv, "=")
		pl.vars[name] = variable{value: value, set: true, known: sure, exported: exported || pl.exported(name)}
	}
	switch cmd.Kind {
	case Export:
		for _, kv := range cmd.Env {
			set(kv, true)
		}
	case Assign:
		for _, kv := range cmd.Env {
			set(kv, false)
		}
	case Cd:
		// cd may fail, and PWD is then unchanged: neither is known.
		pl.cd = true
		for _, name := range []string{"PWD", "OLDPWD"} {
			pl.vars[name] = variable{exported: true}
		}
	}
}

// assigns reports whether kvs assigns name.
func assigns(kvs []string, name string) bool {
	for _, kv := range kvs {
		if n, _, _ := strings.Cut(kv, "="); n == name {
			return true
		}
	}
	return false
}

func dropVanished(words []word) []word {
	out := words[:0:0]
	for _, w := range words {
		if !w.vanishes() {
			out = append(out, w)
		}
	}
	return out
}

func texts(words []word) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w.text
	}
	return out
}

// isBuiltin reports commands the shell runs itself, so their behaviour
// differs from a program of the same name on PATH (echo's escapes, kill's
// job ids, cd's effect on the shell). It is the union of dash's and bash's
// builtins: quoting does not stop a builtin from being one.
func isBuiltin(s string) bool {
	switch s {
	case ".", ":", "[", "alias", "bg", "bind", "break", "builtin", "caller", "cd",
		"chdir", "command", "compgen", "complete", "compopt", "continue",
		"declare", "dirs", "disown", "echo", "enable", "eval", "exec", "exit",
		"export", "false", "fc", "fg", "getopts", "hash", "help", "history",
		"jobs", "kill", "let", "local", "logout", "mapfile", "popd", "printf",
		"pushd", "pwd", "read", "readarray", "readonly", "return", "set",
		"shift", "shopt", "source", "suspend", "test", "times", "trap", "true",
		"type", "typeset", "ulimit", "umask", "unalias", "unset", "wait":
		return true
	}
	return false
}
