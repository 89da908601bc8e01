package shell

import "strings"

// This file is cmd.exe's side of the planner: the quoting npm uses when a
// script line goes to `%ComSpec% /d /s /c`, the recovery of the extra
// arguments from a planned line, and NewCmd, which plans a line for a
// system whose script shell is cmd.exe.

// QuoteCmd quotes s as npm quotes an extra argument for cmd.exe
// (@npmcli/promise-spawn, escape.cmd): first for the program, with the
// rules CommandLineToArgvW and the C runtime reverse, then with a ^
// before each character cmd.exe would act on ( !%^&()<>|"), so that cmd
// passes the text on untouched and never runs any of it. When the program
// is itself a batch file (batch), cmd reads the arguments once more, and
// the carets are doubled as npm doubles them.
//
// A line break cannot be passed through cmd.exe at all (cmd ends the
// command there); callers must refuse such an argument (see CmdSafeArg).
func QuoteCmd(s string, batch bool) string {
	if s == "" {
		return `""`
	}
	q := s
	if strings.ContainsAny(s, " \t\n\v\"") {
		var b strings.Builder
		b.WriteByte('"')
		slashes := 0
		for i := 0; i < len(s); i++ {
			switch c := s[i]; c {
			case '\\':
				slashes++
				continue
			case '"':
				b.WriteString(strings.Repeat(`\`, 2*slashes+1))
			default:
				b.WriteString(strings.Repeat(`\`, slashes))
			}
			slashes = 0
			b.WriteByte(s[i])
		}
		b.WriteString(strings.Repeat(`\`, 2*slashes))
		b.WriteByte('"')
		q = b.String()
	}
	q = caretEscape(q)
	if batch {
		q = caretEscape(q)
	}
	return q
}

// caretEscape puts a ^ before each of cmd.exe's metacharacters.
func caretEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(` !%^&()<>|"`, s[i]) >= 0 {
			b.WriteByte('^')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// CmdSafeArg reports whether an argument can pass through cmd.exe: one with
// a line break (or a NUL) cannot, whatever the quoting.
func CmdSafeArg(s string) bool { return !strings.ContainsAny(s, "\r\n\x00") }

// AppendCmdArgs appends args to a line for cmd.exe, each as QuoteCmd
// quotes it, as npm appends them.
func AppendCmdArgs(line string, args []string, batch bool) string {
	var b strings.Builder
	b.WriteString(line)
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(QuoteCmd(a, batch))
	}
	return b.String()
}

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

// ExtraArgs recovers the extra arguments of a Shell command planned (by New
// or NewCmd) from the script line line: the planned Line is line with the
// arguments appended as AppendArgs quotes them for sh, and, from New, with
// `exec ` inserted before the line's last command. ok is false when
// planned is not of that form.
func ExtraArgs(line, planned string) (args []string, ok bool) {
	if rest, found := strings.CutPrefix(planned, line); found {
		if args, ok := splitQuoted(rest); ok {
			return args, true
		}
	}
	// insertExec puts "exec " at the start of a command inside the line.
	for k := strings.LastIndex(planned, "exec "); k >= 0; k = strings.LastIndex(planned[:k], "exec ") {
		if k > len(line) {
			continue
		}
		if rest, found := strings.CutPrefix(planned[:k]+planned[k+len("exec "):], line); found {
			if args, ok := splitQuoted(rest); ok {
				return args, true
			}
		}
	}
	return nil, false
}

// splitQuoted reverses the part AppendArgs adds to a line: each argument
// as a space and Quote's form of it. ok is false for anything else.
func splitQuoted(s string) ([]string, bool) {
	args := []string{}
	for rest := s; rest != ""; {
		if rest[0] != ' ' {
			return nil, false
		}
		rest = rest[1:]
		if rest == "" || rest[0] != '\'' {
			end := strings.IndexByte(rest, ' ')
			if end < 0 {
				end = len(rest)
			}
			args = append(args, rest[:end])
			rest = rest[end:]
			continue
		}
		// 'text' pieces joined by \' for each quote inside.
		var b strings.Builder
		for {
			end := strings.IndexByte(rest[1:], '\'')
			if end < 0 {
				return nil, false
			}
			b.WriteString(rest[1 : 1+end])
			rest = rest[2+end:]
			if !strings.HasPrefix(rest, `\''`) {
				break
			}
			b.WriteByte('\'')
			rest = rest[2:]
		}
		args = append(args, b.String())
	}
	// Only Quote's own forms count: what it would have left bare, bare.
	if AppendArgs("", args) != s {
		return nil, false
	}
	return args, true
}

// NewCmd plans a script line for a system whose script shell is cmd.exe,
// as npm runs every line on Windows. nrun starts the line's programs itself
// only where sh's reading of the line (which New models) and cmd.exe's
// agree: a line made of plain words, double quotes, && and ||, with
// leading NAME=value assignments (which only nrun gives meaning to on
// Windows, as on Unix), and without cmd's own commands. Anything else
// (backslashes, single quotes, $, %, ^, !, redirections, pipes, cmd
// builtins such as del or mkdir...) becomes one Shell command for cmd.exe.
// Its Line is the script line with the extra arguments appended for sh, as
// from New but never with exec: ExtraArgs recovers them, and the runner
// quotes them for cmd.exe with QuoteCmd, which needs to know whether the
// line's program is a batch file.
func NewCmd(line string, args []string, env Env, scripts Scripts) Plan {
	if cmdPlain(line) {
		p := New(line, args, env, scripts)
		if len(p.Cmds) > 0 && p.Cmds[0].Kind != Shell && !usesCmdBuiltin(p) {
			return p
		}
	}
	return Plan{Cmds: []Cmd{{Kind: Shell, Line: AppendArgs(line, args), Supervise: true}}}
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
