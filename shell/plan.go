// Package shell turns a package.json script line into a plan: the programs
// nrun can start itself, with exactly the argv and environment /bin/sh would
// give them, or the line handed to a shell when that cannot be proven.
package shell

// Kind says who starts a step's program.
type Kind uint8

const (
	// Direct steps are started by nrun: Env and Argv are final.
	Direct Kind = iota
	// Shell steps are given to the shell as Line.
	Shell
)

// Step is one program start of a plan.
type Step struct {
	Kind Kind
	// Env holds a direct step's leading NAME=value assignments, in order;
	// they override the inherited environment for this program only.
	Env []string
	// Argv is a direct step's program, as written in the line, and its
	// arguments; the program is resolved on the script's PATH when run.
	Argv []string
	// Line is a shell step's line, extra arguments quoted onto its end.
	Line string
}

// Plan returns how to run a script line with extra arguments appended.
// A single simple command whose words are all literal becomes a direct step;
// anything else is a shell step.
func Plan(line string, args []string) Step {
	// sh takes a line that starts with - or + as options, and fails as
	// npm does; the shell keeps that behaviour.
	cmds, ok := parse(line)
	if ok && len(cmds) == 1 && line[0] != '-' && line[0] != '+' {
		if step, ok := direct(cmds[0].words); ok {
			step.Argv = append(step.Argv, args...)
			return step
		}
	}
	return Step{Kind: Shell, Line: AppendArgs(line, args)}
}

// direct builds a direct step from one simple command, or refuses when
// running the program itself would differ from the shell's behaviour.
func direct(words []word) (Step, bool) {
	var step Step
	i := 0
	for ; i < len(words) && words[i].nameEnd > 0; i++ {
		w := words[i]
		if w.text[:w.nameEnd] == "PATH" {
			// sh may search the new PATH for the command; leave that to it.
			return step, false
		}
		step.Env = append(step.Env, w.text)
	}
	if i == len(words) {
		return step, false // only assignments: they set shell variables
	}
	name := words[i]
	if name.text == "" || !name.quoted && isReserved(name.text) || isBuiltin(name.text) {
		return step, false
	}
	for _, w := range words[i:] {
		step.Argv = append(step.Argv, w.text)
	}
	return step, true
}

// isReserved reports the words that start compound commands in dash and in
// bash (which is /bin/sh on some systems). Quoting one makes it a plain word.
func isReserved(s string) bool {
	switch s {
	case "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for",
		"if", "in", "then", "until", "while", "[[", "]]", "function", "select",
		"time", "coproc":
		return true
	}
	return false
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
