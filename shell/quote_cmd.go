package shell

import "strings"

// This file is cmd.exe's side of the planner: NewCmd, which plans a line
// for a system whose script shell is cmd.exe.

// FirstCmdWord is the program a cmd.exe line starts with, read as npm reads
// it to decide whether the arguments must be quoted for a batch file: up to
// the first space outside quotes, quotes included.
func FirstCmdWord(line string) string {
	quoted := false
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ':
			if !quoted {
				return line[:i]
			}
		case '"', '\'':
			quoted = !quoted
		}
	}
	return line
}

// NewCmd plans a script line for a system whose script shell is cmd.exe,
// as npm runs every line on Windows. nrun starts the line's programs itself
// only where sh's reading of the line (which New models) and cmd.exe's
// agree: a line made of plain words, double quotes, && and ||, with
// leading NAME=value assignments (which only nrun gives meaning to on
// Windows, as on Unix), and without cmd's own commands. Anything else
// (backslashes, single quotes, $, %, ^, !, redirections, pipes, cmd
// builtins such as del or mkdir...) becomes one Shell command for cmd.exe.
// Its Line is the script line as written and its Args the extra
// arguments, never with exec; the runner quotes them for cmd.exe, which
// needs to know whether Program, the line's first word, is a batch file.
func NewCmd(line string, args []string, env Env, scripts Scripts) Plan {
	if cmdPlain(line) {
		p := New(line, args, env, scripts)
		if len(p.Cmds) > 0 && p.Cmds[0].Kind != Shell && !usesCmdBuiltin(p) {
			return p
		}
	}
	return Plan{Cmds: []Cmd{{Kind: Shell, Line: line, Args: args, ExecAt: -1, Program: FirstCmdWord(line), Supervise: true}}}
}

// cmdPlain reports whether line reads the same to sh and to cmd.exe, as far
// as the planner would take it: none of the characters that only one of
// them treats specially, and no "" (which the C runtime reads as a quote).
func cmdPlain(line string) bool {
	if strings.ContainsAny(line, "\\'$`%^!;~\r\n\x00") || strings.Contains(line, `""`) {
		return false
	}
	return !strings.HasPrefix(strings.TrimLeft(line, " \t"), "@") // cmd's echo-off prefix
}

// usesCmdBuiltin reports whether a planned command names one of cmd.exe's
// own commands, which exist as programs on Unix but not on Windows.
func usesCmdBuiltin(p Plan) bool {
	for _, c := range p.Cmds {
		if c.Kind == Direct && isCmdBuiltin(c.Argv[0]) {
			return true
		}
	}
	return false
}

// isCmdBuiltin reports cmd.exe's internal commands, also when written as
// cmd allows them to be (cd.., echo.).
func isCmdBuiltin(name string) bool {
	name = strings.ToLower(name)
	if i := strings.IndexAny(name, `./\(+:;,=[]`); i >= 0 {
		name = name[:i]
	}
	switch name {
	case "assoc", "break", "call", "cd", "chdir", "cls", "color", "copy", "date", "del",
		"dir", "dpath", "echo", "endlocal", "erase", "exit", "for", "ftype", "goto", "if",
		"keys", "md", "mkdir", "mklink", "move", "path", "pause", "popd", "prompt", "pushd",
		"rd", "rem", "ren", "rename", "rmdir", "set", "setlocal", "shift", "start", "time",
		"title", "type", "ver", "verify", "vol":
		return true
	}
	return false
}
