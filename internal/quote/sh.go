package quote

import "strings"

// AppendSh appends args to a shell line, each quoted by Sh.
func AppendSh(line string, args []string) string {
	if len(args) == 0 {
		return line
	}
	var b strings.Builder
	b.WriteString(line)
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(Sh(a))
	}
	return b.String()
}

// ShLine is the line sh runs for a script line with extra arguments:
// AppendSh's line, with "exec " inserted at execAt (an offset into that
// line) when execAt is not negative.
func ShLine(line string, args []string, execAt int) string {
	full := AppendSh(line, args)
	if execAt < 0 || execAt > len(full) {
		return full
	}
	return full[:execAt] + "exec " + full[execAt:]
}

// Sh returns s quoted for a POSIX shell. Words made only of characters
// that are never special are left bare for readability; everything else is
// single-quoted.
func Sh(s string) string {
	if s != "" && isPlain(s) && !Reserved(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("_-+./,:@%", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// Reserved reports the words that start compound commands in dash and in
// bash: left bare at the start of a command, they would be syntax.
func Reserved(s string) bool {
	switch s {
	case "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for",
		"if", "in", "then", "until", "while", "[[", "]]", "function", "select",
		"time", "coproc":
		return true
	}
	return false
}
