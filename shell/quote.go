package shell

import "strings"

// AppendArgs appends args to a shell line so that each arrives as one
// argument, byte for byte, and none is ever read as shell syntax.
func AppendArgs(line string, args []string) string {
	if len(args) == 0 {
		return line
	}
	var b strings.Builder
	b.WriteString(line)
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(Quote(a))
	}
	return b.String()
}

// Quote returns s quoted for a POSIX shell. Words made only of characters
// that are never special are left bare for readability; everything else is
// single-quoted, the one form in which no byte is special.
func Quote(s string) string {
	if s != "" && isPlain(s) && !isReserved(s) {
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
