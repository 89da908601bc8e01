package quote

import "strings"

// Cmd quotes s as npm quotes an extra argument for cmd.exe
// (@npmcli/promise-spawn, escape.cmd): first for the program, with the
// rules CommandLineToArgvW and the C runtime reverse, then with a ^
// before each character cmd.exe would act on ( !%^&()<>|"), so that cmd
// passes the text on untouched and never runs any of it. When the program
// is itself a batch file (batch), cmd reads the arguments once more, and
// the carets are doubled as npm doubles them.
//
// A line break cannot be passed through cmd.exe at all (cmd ends the
// command there); callers must refuse such an argument (see CmdSafe).
func Cmd(s string, batch bool) string {
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

// CmdSafe reports whether an argument can pass through cmd.exe: one with
// a line break (or a NUL) cannot, whatever the quoting.
func CmdSafe(s string) bool { return !strings.ContainsAny(s, "\r\n\x00") }

// AppendCmd appends args to a line for cmd.exe, each as Cmd
// quotes it, as npm appends them.
func AppendCmd(line string, args []string, batch bool) string {
	var b strings.Builder
	b.WriteString(line)
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(Cmd(a, batch))
	}
	return b.String()
}
