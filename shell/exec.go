package shell

import (
	"strings"

	"github.com/nrunjs/nrun/internal/quote"
)

// lastCommand returns the offset of the program name of the line's last
// top-level command, where `exec ` goes in a line the shell must run, so
// that the shell replaces itself with the app instead of waiting for it
// (dash forks the last command of a list, and a SIGTERM to it would then
// kill only the shell). ok is true only for the lines whose structure a
// simple scan finds without doubt: no subshells, groups, compound
// commands, here-documents, command substitution or comments, and a last
// command that is a plain program name, not a builtin, not in a pipeline
// and not in the background.
func lastCommand(line string) (int, bool) {
	segStart := 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; c {
		case '\\':
			i++
		case '\'':
			end := indexByteFrom(line, i+1, '\'')
			if end < 0 {
				return 0, false
			}
			i = end
		case '"':
			end, ok := skipDouble(line, i+1)
			if !ok {
				return 0, false
			}
			i = end
		case '$':
			if i+1 < len(line) && line[i+1] == '(' {
				return 0, false
			}
			if i+1 < len(line) && line[i+1] == '{' {
				end := indexByteFrom(line, i+2, '}')
				if end < 0 || strings.ContainsAny(line[i+2:end], "'\"`$\\{") {
					return 0, false
				}
				i = end
			}
		case '`', '(', ')', '{', '}', '#':
			return 0, false
		case '<':
			if i+1 < len(line) && line[i+1] == '<' {
				return 0, false // a here-document's body follows the line
			}
		case ';', '\n':
			segStart = i + 1
		case '&', '|':
			if i+1 < len(line) && line[i+1] == c {
				i++
				segStart = i + 1
				continue
			}
			if c == '&' && i > 0 && (line[i-1] == '>' || line[i-1] == '<') {
				continue // 2>&1
			}
			segStart = -1 // in a pipeline or in the background: no exec
		}
	}
	if segStart < 0 {
		return 0, false
	}
	return commandName(line, segStart)
}

// skipDouble returns the offset of the quote that closes a "..." section
// starting at i, refusing command substitution inside it.
func skipDouble(line string, i int) (int, bool) {
	for ; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '"':
			return i, true
		case '`':
			return 0, false
		case '$':
			if i+1 < len(line) && line[i+1] == '(' {
				return 0, false
			}
		}
	}
	return 0, false
}

// commandName finds the program name of the command starting at start:
// after blanks and NAME=value assignments (which exec then passes on), a
// plain word that is neither a builtin nor a reserved word. A reserved word
// anywhere in the line is refused earlier by its braces or by this check
// on each command's first word.
func commandName(line string, start int) (int, bool) {
	// Values do not matter here, only where words start: an expansion in an
	// assignment is fine (exec passes it on), one in the name is refused.
	lx := lexer{line: line, pos: start, vars: func(string) (string, bool, bool) { return "", true, true }}
	for {
		lx.skipBlanks()
		wordStart := lx.pos
		if wordStart >= len(line) {
			return 0, false
		}
		w, ok := lx.word()
		if w.nameEnd > 0 && ok {
			continue
		}
		if !ok || w.quoted || w.text == "" || len(w.refs) > 0 {
			return 0, false
		}
		if isBuiltin(w.text) || quote.Reserved(w.text) || !firstWordsPlain(line) {
			return 0, false
		}
		return wordStart, true
	}
}

// firstWordsPlain reports whether no command of the line starts with a
// reserved word or a builtin that changes how the line ends (trap, exec,
// set -e aside): compound commands span separators, and an EXIT trap would
// not run after exec.
func firstWordsPlain(line string) bool {
	for _, f := range strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(";&|\n", r) }) {
		first, _, _ := strings.Cut(strings.TrimLeft(f, " \t"), " ")
		if quote.Reserved(first) || first == "trap" || first == "exec" {
			return false
		}
	}
	return true
}
