package shell

import "strings"

// The lexer reads the small part of the POSIX shell language that nrun can
// run without a shell, and says "needs the shell" for everything else. It is
// deliberately strict: a line it cannot prove it reads exactly as /bin/sh
// would (dash on Debian, bash in POSIX mode on macOS) is left to the shell,
// so a wrong guess costs a fork, never a different argv.

// word is one shell word after expansion and quote removal.
type word struct {
	text string
	// quoted is true when any part of the word was quoted or escaped:
	// quoted words are never reserved words, and never vanish.
	quoted bool
	// expanded is true when the word holds a parameter expansion; an
	// unquoted one that expands to nothing removes the word, as in sh.
	expanded bool
	// nameEnd is the length of an unquoted NAME before the first '=' of
	// the word, or 0 when the word is not an assignment.
	nameEnd int
	// refs are the variables the word expanded.
	refs []string
}

// vanishes reports whether sh drops the word entirely: it was made only
// of unquoted expansions that came out empty.
func (w word) vanishes() bool { return w.text == "" && w.expanded && !w.quoted }

// Op joins a command to the one before it in an and-or list.
type Op uint8

const (
	Seq Op = iota // ; or the start of the line: always runs
	And           // &&: runs when the previous status is 0
	Or            // ||: runs when the previous status is not 0
)

// lookup gives a variable's value as the shell would see it when the
// command runs; known is false when the planner cannot be sure of it.
type lookup func(name string) (value string, set, known bool)

// lexer walks a line byte by byte; every special character is ASCII, so
// multi-byte UTF-8 sequences pass through untouched.
type lexer struct {
	line    string
	pos     int
	buf     []byte
	vars    lookup
	started bool // a command was read: an operator must come next
}

// command reads the next simple command and the operator before it. done
// is true at the end of the line; ok is false when the line uses anything
// the lexer does not fully model.
func (lx *lexer) command() (words []word, op Op, ok, done bool) {
	lx.skipBlanks()
	if lx.pos >= len(lx.line) {
		return nil, Seq, true, true
	}
	if lx.started {
		var n int
		if op, n = lx.operator(); n == 0 || op > Or {
			return nil, op, false, false
		}
		lx.pos += n
		lx.skipBlanks()
	}
	for lx.pos < len(lx.line) {
		if _, n := lx.operator(); n > 0 {
			break
		}
		w, ok := lx.word()
		if !ok {
			return nil, op, false, false
		}
		words = append(words, w)
		lx.skipBlanks()
	}
	// An empty command (";;", a trailing "&&") is a syntax error for sh.
	lx.started = true
	return words, op, len(words) > 0, false
}

func (lx *lexer) skipBlanks() {
	for lx.pos < len(lx.line) && (lx.line[lx.pos] == ' ' || lx.line[lx.pos] == '\t') {
		lx.pos++
	}
}

// opOther marks an operator nrun does not run itself.
const opOther Op = 255

// operator reports the control operator at the current position and its
// length; |, &, <, >, (, ) and newline come back as opOther.
func (lx *lexer) operator() (Op, int) {
	rest := lx.line[lx.pos:]
	if rest == "" {
		return Seq, 0
	}
	switch {
	case len(rest) >= 2 && rest[:2] == "&&":
		return And, 2
	case len(rest) >= 2 && rest[:2] == "||":
		return Or, 2
	case len(rest) >= 2 && rest[:2] == ";;":
		return opOther, 2 // only valid inside case
	case rest[0] == ';':
		return Seq, 1
	case isMeta(rest[0]):
		return opOther, 1
	}
	return Seq, 0
}

// isMeta reports the characters that end an unquoted word.
func isMeta(c byte) bool {
	switch c {
	case ' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')':
		return true
	}
	return false
}

// word reads one word. It refuses command substitution, globs (* ? [),
// brace and tilde forms, comments and unfinished quotes: each of those
// makes the word's value depend on things only the shell knows.
func (lx *lexer) word() (word, bool) {
	lx.buf = lx.buf[:0]
	var w word
	start := lx.pos
	nameOK := true // still inside an unquoted NAME prefix
	for lx.pos < len(lx.line) {
		c := lx.line[lx.pos]
		if isMeta(c) {
			break
		}
		switch c {
		case '\\':
			if lx.pos+1 >= len(lx.line) || lx.line[lx.pos+1] == '\n' {
				return w, false // line continuation or a lone trailing backslash
			}
			lx.buf = append(lx.buf, lx.line[lx.pos+1])
			lx.pos += 2
			w.quoted, nameOK = true, false
			continue
		case '\'':
			end := indexByteFrom(lx.line, lx.pos+1, '\'')
			if end < 0 {
				return w, false
			}
			lx.buf = append(lx.buf, lx.line[lx.pos+1:end]...)
			lx.pos = end + 1
			w.quoted, nameOK = true, false
			continue
		case '"':
			if !lx.doubleQuoted(&w) {
				return w, false
			}
			w.quoted, nameOK = true, false
			continue
		case '$':
			// In an assignment the value is not split or globbed.
			if !lx.expand(&w, w.nameEnd > 0) {
				return w, false
			}
			nameOK = false
			continue
		case '`', '*', '?', '[', '{', '}', 0:
			// {} would be brace expansion in bash, which is /bin/sh on some systems.
			return w, false
		case '#':
			if lx.pos == start {
				return w, false // a comment
			}
		case '~':
			// Tilde expands at the start of a word and, in assignments,
			// after '=' and ':'; refusing every unquoted '~' in a word that
			// may be an assignment is simpler than tracking which applies.
			if lx.pos == start || w.nameEnd > 0 {
				return w, false
			}
		case '=':
			if nameOK && w.nameEnd == 0 && isName(lx.line[start:lx.pos]) {
				w.nameEnd = lx.pos - start
			}
			nameOK = false
		}
		lx.buf = append(lx.buf, c)
		lx.pos++
	}
	w.text = string(lx.buf)
	return w, true
}

// doubleQuoted consumes a "..." section. Inside it a backslash quotes only
// $ ` " \ and newline; before any other byte it stays, as POSIX says.
func (lx *lexer) doubleQuoted(w *word) bool {
	lx.pos++
	for lx.pos < len(lx.line) {
		c := lx.line[lx.pos]
		switch c {
		case '"':
			lx.pos++
			return true
		case '`':
			return false
		case '$':
			if !lx.expand(w, true) {
				return false
			}
			continue
		case '\\':
			if lx.pos+1 >= len(lx.line) {
				return false
			}
			switch n := lx.line[lx.pos+1]; n {
			case '$', '`', '"', '\\':
				lx.buf = append(lx.buf, n)
				lx.pos += 2
				continue
			case '\n':
				return false // line continuation
			}
		}
		lx.buf = append(lx.buf, c)
		lx.pos++
	}
	return false
}

// expand reads $NAME or ${NAME} and appends its value. Unquoted, the value
// must come through field splitting and pathname expansion unchanged: no
// IFS character and no glob character. Every other form ($1, $@, ${X:-y},
// $(...)) is the shell's.
func (lx *lexer) expand(w *word, quoted bool) bool {
	rest := lx.line[lx.pos+1:]
	braced := len(rest) > 0 && rest[0] == '{'
	if braced {
		rest = rest[1:]
	}
	n := 0
	for n < len(rest) && isNameByte(rest[n], n) {
		n++
	}
	if n == 0 || braced && (n >= len(rest) || rest[n] != '}') {
		return false
	}
	name := rest[:n]
	value, _, known := lx.vars(name)
	if !known || !quoted && !fieldSafe(value) {
		return false
	}
	lx.buf = append(lx.buf, value...)
	lx.pos += 1 + n
	if braced {
		lx.pos += 2
	}
	w.refs = append(w.refs, name)
	if !quoted {
		w.expanded = true
	}
	return true
}

// fieldSafe reports whether an unquoted expansion of v yields v as it is:
// nothing to split on with the default IFS and nothing to glob.
func fieldSafe(v string) bool {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case ' ', '\t', '\n', '*', '?', '[':
			return false
		}
	}
	return true
}

func indexByteFrom(s string, from int, c byte) int {
	if i := strings.IndexByte(s[from:], c); i >= 0 {
		return from + i
	}
	return -1
}

// isName reports whether s is a shell variable name.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i], i) {
			return false
		}
	}
	return true
}

func isNameByte(c byte, i int) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9'
}
