package shell

// The lexer reads the small part of the POSIX shell language that nrun can
// run without a shell, and says "needs the shell" for everything else. It is
// deliberately strict: a line it cannot prove it reads exactly as /bin/sh
// would (dash on Debian, bash in POSIX mode on macOS) is left to the shell,
// so a wrong guess costs a fork, never a different argv.

// word is one shell word after quote removal, or the reason it needs a shell.
type word struct {
	text string
	// quoted is true when any part of the word was quoted or escaped:
	// quoted words are never reserved words or assignment names.
	quoted bool
	// nameEnd is the length of an unquoted NAME before the first '=' of
	// the word, or 0 when the word is not an assignment.
	nameEnd int
}

// op is a top-level control operator between commands.
type op uint8

const (
	opEnd  op = iota // end of line
	opSemi           // ;
	opAnd            // &&
	opOr             // ||
)

// command is one simple command: words, then the operator that ends it.
type command struct {
	words []word
	next  op
}

// lexer walks a line byte by byte; every special character is ASCII, so
// multi-byte UTF-8 sequences pass through untouched.
type lexer struct {
	line string
	pos  int
	buf  []byte
}

// parse splits line into simple commands joined by top-level operators. ok
// is false when the line uses anything the lexer does not fully model.
func parse(line string) (cmds []command, ok bool) {
	lx := lexer{line: line}
	var cur command
	for {
		lx.skipBlanks()
		if lx.pos >= len(lx.line) {
			if len(cur.words) == 0 && len(cmds) > 0 {
				return nil, false // trailing operator: a syntax error for sh to report
			}
			cur.next = opEnd
			return append(cmds, cur), len(cur.words) > 0
		}
		if next, n := lx.operator(); n > 0 {
			if next == opEnd || len(cur.words) == 0 {
				return nil, false
			}
			lx.pos += n
			cur.next = next
			cmds = append(cmds, cur)
			cur = command{}
			continue
		}
		w, ok := lx.word()
		if !ok {
			return nil, false
		}
		cur.words = append(cur.words, w)
	}
}

func (lx *lexer) skipBlanks() {
	for lx.pos < len(lx.line) && (lx.line[lx.pos] == ' ' || lx.line[lx.pos] == '\t') {
		lx.pos++
	}
}

// operator reports the control operator at the current position and its
// length. Any operator nrun does not run itself (|, &, <, >, (, ), newline)
// is returned as opEnd with a non-zero length, which the caller rejects.
func (lx *lexer) operator() (op, int) {
	rest := lx.line[lx.pos:]
	switch {
	case len(rest) >= 2 && rest[:2] == "&&":
		return opAnd, 2
	case len(rest) >= 2 && rest[:2] == "||":
		return opOr, 2
	case len(rest) >= 2 && rest[:2] == ";;":
		return opEnd, 2 // only valid inside case
	case rest[0] == ';':
		return opSemi, 1
	case isMeta(rest[0]):
		return opEnd, 1
	}
	return opEnd, 0
}

// isMeta reports the characters that end an unquoted word.
func isMeta(c byte) bool {
	switch c {
	case ' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')':
		return true
	}
	return false
}

// word reads one word. It refuses expansions ($, `), globs (* ? [), brace
// and tilde forms, comments and unfinished quotes: each of those makes the
// word's value depend on things only the shell knows.
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
			if !lx.doubleQuoted() {
				return w, false
			}
			w.quoted, nameOK = true, false
			continue
		case '$', '`', '*', '?', '[', '{', '}', 0:
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
func (lx *lexer) doubleQuoted() bool {
	i := lx.pos + 1
	for i < len(lx.line) {
		c := lx.line[i]
		switch c {
		case '"':
			lx.pos = i + 1
			return true
		case '$', '`':
			return false
		case '\\':
			if i+1 >= len(lx.line) {
				return false
			}
			switch n := lx.line[i+1]; n {
			case '$', '`', '"', '\\':
				lx.buf = append(lx.buf, n)
				i += 2
				continue
			case '\n':
				return false // line continuation
			}
		}
		lx.buf = append(lx.buf, c)
		i++
	}
	return false
}

func indexByteFrom(s string, from int, c byte) int {
	for i := from; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// isName reports whether s is a shell variable name.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9' {
			continue
		}
		return false
	}
	return true
}
