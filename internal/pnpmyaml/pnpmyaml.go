package pnpmyaml

import (
	"fmt"
	"strings"
)

// Error is a problem at one line of the file; its message is one line that
// names the file and the line.
type Error struct {
	File string // the name Packages was given
	Line int    // 1-based
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s line %d: %s", e.File, e.Line, e.Msg) }

// Packages returns the items of the top-level "packages" list of a
// pnpm-workspace.yaml whose contents are data; file names it in errors.
// The result is nil when the file has no "packages" key, or an empty or null
// one. What the package documentation lists as unsupported is an *Error.
func Packages(file string, data []byte) ([]string, error) {
	r := reader{file: file, lines: splitLines(data)}
	return r.document()
}

type reader struct {
	file  string
	lines []string
}

func (r *reader) errorf(li int, format string, args ...any) error {
	return &Error{File: r.file, Line: li + 1, Msg: fmt.Sprintf(format, args...)}
}

// splitLines drops a byte order mark and splits at YAML's line breaks:
// "\r\n", "\n" and a lone "\r".
func splitLines(data []byte) []string {
	s := strings.TrimPrefix(string(data), "\uFEFF")
	var lines []string
	for {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			return append(lines, s)
		}
		lines = append(lines, s[:i])
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
}

// The owner of the lines the top-level loop passes over.
const (
	ownerNone     = iota // the document has not started a mapping
	ownerOther           // a key nrun does not read
	ownerPackages        // "packages", already read whole
)

// document reads the top-level mapping, line by line, reading the value of
// "packages" and passing over the values of other keys.
func (r *reader) document() ([]string, error) {
	var (
		out     []string
		found   bool
		owner   = ownerNone
		started bool // a "---" or a key has been seen
		ended   bool // a "..." has been seen
	)
	for li := 0; li < len(r.lines); li++ {
		line := r.lines[li]
		if blankOrComment(line) {
			continue
		}
		if ended && !marker(line, "---") {
			return nil, r.errorf(li, "text after the document end marker \"...\"")
		}
		switch c := line[0]; {
		case c == '%':
			if started {
				return nil, r.errorf(li, "a directive (%%) inside the document")
			}
		case marker(line, "---"):
			if started {
				return nil, r.errorf(li, "a second YAML document: pnpm reads a single one")
			}
			if !blankOrComment(line[3:]) {
				return nil, r.errorf(li, "content on the \"---\" line is not supported; start it on the next line")
			}
			started = true
		case marker(line, "..."):
			if !blankOrComment(line[3:]) {
				return nil, r.errorf(li, "content after \"...\"")
			}
			ended = true
		case c == ' ' || c == '\t' || c == '-' && (len(line) == 1 || isWhite(line[1])):
			// Inside the value of the key above: a key nrun skips, or
			// something left over after the packages list.
			if c == '\t' {
				return nil, r.errorf(li, "a tab used for indentation (YAML allows only spaces)")
			}
			switch owner {
			case ownerNone:
				return nil, r.errorf(li, "the top level must be a mapping of keys starting in the first column")
			case ownerPackages:
				return nil, r.errorf(li, "unexpected text after the \"packages\" list")
			}
		default:
			started = true
			key, col, err := r.key(li)
			if err != nil {
				return nil, err
			}
			if key != "packages" {
				owner = ownerOther
				if li, err = r.skipValue(li, col); err != nil {
					return nil, err
				}
				continue
			}
			if found {
				return nil, r.errorf(li, "\"packages\" appears twice")
			}
			found, owner = true, ownerPackages
			if out, li, err = r.packagesValue(li, col); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// key reads the top-level key that starts line li, plain or quoted, and
// returns it with the column after its ":".
func (r *reader) key(li int) (string, int, error) {
	line := r.lines[li]
	var key string
	i := 0
	switch c := line[0]; {
	case c == '"' || c == '\'':
		k, _, end, err := r.quoted(li, 0, -1)
		if err != nil {
			return "", 0, err
		}
		key, i = k, skipWhite(line, end)
		if i == len(line) || line[i] != ':' || !endsToken(line, i+1) {
			return "", 0, r.errorf(li, "expected \":\" after the quoted key")
		}
	case c == '[' || c == '{':
		return "", 0, r.errorf(li, "a flow mapping at the top level is not supported; write one key per line")
	case c == '?' && endsToken(line, 1):
		return "", 0, r.errorf(li, "complex keys (\"? \") are not supported")
	case strings.IndexByte("&*!|>@`,]}#", c) >= 0:
		return "", 0, r.errorf(li, "%s", indicatorProblem(c, "a top-level key"))
	default:
		// The key ends at ": ", unless a comment comes first.
		for i < len(line) && !(line[i] == ':' && endsToken(line, i+1)) && !(line[i] == '#' && isWhite(line[i-1])) {
			i++
		}
		if i == len(line) || line[i] == '#' {
			return "", 0, r.errorf(li, "expected \"key:\" at the top level")
		}
		key = strings.TrimRight(line[:i], " \t")
	}
	return key, i + 1, nil
}

// skipValue passes over the value of a key nrun does not read, which
// starts at lines[li][col]. Indented lines are the top-level loop's to pass
// over; only a flow collection or a quoted scalar, whose later lines may
// start in the first column, is followed here to its end. It returns the
// last line of the value so far.
func (r *reader) skipValue(li, col int) (int, error) {
	line := r.lines[li]
	i := skipWhite(line, col)
	// Anchors and tags before the value: "&a [", "!!str '".
	for i < len(line) && (line[i] == '&' || line[i] == '!') {
		for i < len(line) && !isWhite(line[i]) {
			i++
		}
		i = skipWhite(line, i)
	}
	if i == len(line) || strings.IndexByte("[{\"'", line[i]) < 0 {
		return li, nil
	}
	start := li
	var (
		quote byte
		depth int
		node  = true // a quote here would open a quoted scalar
	)
	for ; li < len(r.lines); li, i = li+1, 0 {
		line = r.lines[li]
		for ; i < len(line); i++ {
			c := line[i]
			switch {
			case quote == '"':
				if c == '\\' {
					i++
				} else if c == '"' {
					quote = 0
				}
			case quote == '\'':
				if c == '\'' && i+1 < len(line) && line[i+1] == '\'' {
					i++
				} else if c == '\'' {
					quote = 0
				}
			case c == '#' && (i == 0 || isWhite(line[i-1])):
				i = len(line)
				continue
			case (c == '"' || c == '\'') && node:
				quote = c
			case c == '[' || c == '{':
				depth++
				node = true
			case c == ']' || c == '}':
				depth--
			case c == ',' || c == ':':
				node = true
			case !isWhite(c):
				node = false
			}
			if quote == 0 && depth <= 0 {
				return li, nil
			}
		}
	}
	return 0, r.errorf(start, "the value of this key is never closed")
}

// packagesValue reads the value of "packages", whose key ends at
// lines[li][col], and returns it with the last line it took.
func (r *reader) packagesValue(li, col int) ([]string, int, error) {
	line := r.lines[li]
	i := skipWhite(line, col)
	if i < len(line) && line[i] != '#' {
		switch c := line[i]; {
		case c == '[':
			return r.flowList(li, i)
		case isNull(strings.TrimRight(line[i:commentStart(line, i)], " \t")):
			return nil, li, nil
		case c == '&' || c == '*' || c == '!':
			return nil, 0, r.errorf(li, "%s", indicatorProblem(c, "the \"packages\" list"))
		default:
			return nil, 0, r.errorf(li, "\"packages\" must be a list")
		}
	}
	// A block sequence follows, or nothing (null).
	next, ok := r.nextContent(li + 1)
	if !ok {
		return nil, len(r.lines) - 1, nil
	}
	line = r.lines[next]
	n := leadingSpaces(line)
	if n < len(line) && line[n] == '\t' {
		return nil, 0, r.errorf(next, "a tab used for indentation (YAML allows only spaces)")
	}
	if !isEntry(line, n) {
		if n == 0 {
			return nil, li, nil // the next key: "packages" is null
		}
		return nil, 0, r.errorf(next, "\"packages\" must be a list")
	}
	return r.blockList(next, n)
}

// blockList reads the block sequence whose first "-" is at lines[li][n].
func (r *reader) blockList(li, n int) ([]string, int, error) {
	var out []string
	last := li - 1
	for {
		next, ok := r.nextContent(last + 1)
		if !ok {
			return out, len(r.lines) - 1, nil
		}
		line := r.lines[next]
		ind := leadingSpaces(line)
		switch {
		case ind < len(line) && line[ind] == '\t':
			return nil, 0, r.errorf(next, "a tab used for indentation (YAML allows only spaces)")
		case ind == 0 && !(n == 0 && isEntry(line, 0)):
			return out, last, nil // the next top-level key
		case ind < n:
			return nil, 0, r.errorf(next, "this line is indented less than the list's items above it")
		case ind > n:
			return nil, 0, r.errorf(next, "this line is indented more than the list's items, but does not continue one")
		case !isEntry(line, n):
			return nil, 0, r.errorf(next, "expected a list item (\"- \")")
		}
		item, end, err := r.blockItem(next, n)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, item)
		last = end
	}
}

// blockItem reads the item of the entry whose "-" is at lines[li][n], and
// returns it with its last line.
func (r *reader) blockItem(li, n int) (string, int, error) {
	line := r.lines[li]
	col := skipWhite(line, n+1)
	if col == len(line) || line[col] == '#' {
		// The item may start on a later, deeper line.
		next, ok := r.nextContent(li + 1)
		if !ok || leadingSpaces(r.lines[next]) <= n {
			return "", 0, r.errorf(li, "an empty item (pnpm refuses those)")
		}
		li, line = next, r.lines[next]
		if col = leadingSpaces(line); line[col] == '\t' {
			return "", 0, r.errorf(li, "a tab used for indentation (YAML allows only spaces)")
		}
	}
	switch c := line[col]; {
	case c == '"' || c == '\'':
		s, end, ecol, err := r.quoted(li, col, n+1)
		if err != nil {
			return "", 0, err
		}
		return s, end, r.afterItem(end, ecol)
	case c == '-' && endsToken(line, col+1), c == '[', c == '{':
		return "", 0, r.errorf(li, "a list or mapping as an item; items must be strings")
	case (c == '?' || c == ':') && endsToken(line, col+1):
		return "", 0, r.errorf(li, "a mapping as an item; items must be strings")
	case strings.IndexByte("&*!|>@`%,]}", c) >= 0:
		return "", 0, r.errorf(li, "%s", indicatorProblem(c, "an item"))
	}
	return r.plainBlock(li, col, n)
}

// afterItem checks that only a comment follows a quoted item on its line.
func (r *reader) afterItem(li, col int) error {
	line := r.lines[li]
	i := skipWhite(line, col)
	switch {
	case i == len(line) || line[i] == '#' && i > col:
		return nil
	case line[i] == ':':
		return r.errorf(li, "a mapping as an item; items must be strings")
	}
	return r.errorf(li, "unexpected %q after the quoted item", line[i:])
}

// plainBlock reads the plain scalar that starts at lines[li][col], in a
// list whose "-" is in column n: its later lines must be indented more.
// Lines are folded: one line break becomes a space, and each blank line
// between two lines a "\n".
func (r *reader) plainBlock(li, col, n int) (string, int, error) {
	text, comment, err := r.plainLine(li, col)
	if err != nil {
		return "", 0, err
	}
	if isNull(text) {
		return "", 0, r.errorf(li, "an empty item (pnpm refuses those)")
	}
	b := []byte(text)
	last := li
	for !comment {
		blanks, next := 0, last+1
		for next < len(r.lines) && blank(r.lines[next]) {
			blanks++
			next++
		}
		if next == len(r.lines) {
			break
		}
		line := r.lines[next]
		ind := leadingSpaces(line)
		start := skipWhite(line, ind)
		if line[start] == '#' {
			break // a comment ends the scalar
		}
		if ind <= n {
			if start > ind {
				return "", 0, r.errorf(next, "a tab used for indentation (YAML allows only spaces)")
			}
			break // the next entry or key
		}
		var more string
		if more, comment, err = r.plainLine(next, start); err != nil {
			return "", 0, err
		}
		b = fold(b, blanks, false)
		b = append(b, more...)
		last = next
	}
	return string(b), last, nil
}

// plainLine reads one line of a plain scalar in block context, from
// lines[li][col]: up to a comment, without trailing white space.
func (r *reader) plainLine(li, col int) (text string, comment bool, err error) {
	line := r.lines[li]
	end := len(line)
	for i := col; i < len(line); i++ {
		if line[i] == ':' && endsToken(line, i+1) {
			return "", false, r.errorf(li, "a mapping as an item (\"key: value\"); quote an item that holds \": \"")
		}
		if line[i] == '#' && i > col && isWhite(line[i-1]) {
			end, comment = i, true
			break
		}
	}
	return strings.TrimRight(line[col:end], " \t"), comment, nil
}

// flowList reads the flow sequence "[a, 'b']" that opens at lines[li][col],
// over as many lines as it takes, and returns it with its last line.
func (r *reader) flowList(li, col int) ([]string, int, error) {
	start := li
	var out []string
	want := true // an item may come next (after "[" or ",")
	i := col + 1
	for {
		var ok bool
		if li, i, ok = r.skipFlowSpace(li, i); !ok {
			return nil, 0, r.errorf(start, "unterminated \"[\" list")
		}
		line := r.lines[li]
		switch c := line[i]; {
		case c == ']':
			if j := skipWhite(line, i+1); j < len(line) && line[j] != '#' {
				return nil, 0, r.errorf(li, "unexpected %q after the list", line[j:])
			}
			return out, li, nil
		case c == ',':
			if want {
				return nil, 0, r.errorf(li, "an empty item in the list")
			}
			want = true
			i++
		case !want:
			return nil, 0, r.errorf(li, "expected \",\" or \"]\" at %q", line[i:])
		case c == '"' || c == '\'':
			s, end, ecol, err := r.quoted(li, i, 0)
			if err != nil {
				return nil, 0, err
			}
			out, want, li, i = append(out, s), false, end, ecol
			if nl, ni, ok := r.skipFlowSpace(li, i); ok && r.lines[nl][ni] == ':' {
				return nil, 0, r.errorf(nl, "a mapping as an item; items must be strings")
			}
		case c == '[' || c == '{':
			return nil, 0, r.errorf(li, "a list or mapping as an item; items must be strings")
		case (c == '?' || c == ':') && endsFlowToken(line, i+1):
			return nil, 0, r.errorf(li, "a mapping as an item; items must be strings")
		case c == '-' && endsFlowToken(line, i+1), strings.IndexByte("&*!|>@`%#}", c) >= 0:
			return nil, 0, r.errorf(li, "%s", indicatorProblem(c, "an item"))
		default:
			s, end, ecol, err := r.plainFlow(li, i)
			if err != nil {
				return nil, 0, err
			}
			out, want, li, i = append(out, s), false, end, ecol
		}
	}
}

// skipFlowSpace moves past white space, line breaks and comments inside a
// flow collection; ok is false at the end of the file.
func (r *reader) skipFlowSpace(li, i int) (int, int, bool) {
	for ; li < len(r.lines); li, i = li+1, 0 {
		line := r.lines[li]
		j := skipWhite(line, i)
		// A "#" right after a token ("a,#b") is not a comment.
		if j < len(line) && (line[j] != '#' || j > 0 && !isWhite(line[j-1])) {
			return li, j, true
		}
	}
	return li, 0, false
}

// plainFlow reads a plain scalar inside a flow collection: it ends at a
// flow indicator, a comment or ": ", and may go on over later lines.
func (r *reader) plainFlow(li, col int) (string, int, int, error) {
	var b []byte
	for blanks := -1; ; {
		line := r.lines[li]
		i := col
		for ; i < len(line); i++ {
			c := line[i]
			if strings.IndexByte(",[]{}", c) >= 0 || c == '#' && isWhite(line[i-1]) {
				break
			}
			if c == ':' && endsFlowToken(line, i+1) {
				return "", 0, 0, r.errorf(li, "a mapping as an item (\"key: value\"); quote an item that holds \": \"")
			}
		}
		text := strings.TrimRight(line[col:i], " \t")
		if blanks >= 0 {
			b = fold(b, blanks, false)
		}
		b = append(b, text...)
		// The scalar may go on after the line break, unless a flow
		// indicator or a comment comes first.
		next := li + 1
		for blanks = 0; next < len(r.lines) && blank(r.lines[next]); next++ {
			blanks++
		}
		if i < len(line) || next == len(r.lines) || strings.IndexByte(",[]{}#", r.lines[next][skipWhite(r.lines[next], 0)]) >= 0 {
			if s := string(b); !isNull(s) {
				return s, li, col + len(text), nil
			}
			return "", 0, 0, r.errorf(li, "an empty item (pnpm refuses those)")
		}
		li, col = next, skipWhite(r.lines[next], 0)
	}
}

// quoted reads the single- or double-quoted scalar whose opening quote is
// at lines[li][col], and returns it with the line and column after its
// closing quote. Its later lines must be indented by at least minIndent
// spaces; a negative minIndent allows none. Line breaks fold as in plain scalars, white space around them
// dropped; in double quotes a "\" before the break joins the lines without
// a space.
func (r *reader) quoted(li, col, minIndent int) (string, int, int, error) {
	q := r.lines[li][col]
	start := li
	var b []byte
	i := col + 1
	for {
		line := r.lines[li]
		trail := -1 // where b's unescaped trailing white space starts
		escapedBreak := false
	scan:
		for i < len(line) {
			c := line[i]
			switch {
			case c == '\'' && q == '\'':
				if i+1 < len(line) && line[i+1] == '\'' {
					b, trail, i = append(b, '\''), -1, i+2
					continue
				}
				return string(b), li, i + 1, nil
			case c == '"' && q == '"':
				return string(b), li, i + 1, nil
			case c == '\\' && q == '"':
				if i+1 == len(line) {
					escapedBreak = true
					break scan
				}
				var err error
				if b, i, err = r.escape(b, li, i); err != nil {
					return "", 0, 0, err
				}
				trail = -1
			case c == ' ' || c == '\t':
				if trail < 0 {
					trail = len(b)
				}
				b, i = append(b, c), i+1
			default:
				b, trail, i = append(b, c), -1, i+1
			}
		}
		if trail >= 0 && !escapedBreak {
			b = b[:trail]
		}
		if minIndent < 0 {
			return "", 0, 0, r.errorf(start, "a quoted key must be on one line")
		}
		blanks := 0
		for li++; li < len(r.lines) && blank(r.lines[li]); li++ {
			blanks++
		}
		if li == len(r.lines) {
			return "", 0, 0, r.errorf(start, "unterminated %c-quoted item", q)
		}
		line = r.lines[li]
		ind := leadingSpaces(line)
		switch {
		case ind < minIndent && ind < len(line) && line[ind] == '\t':
			return "", 0, 0, r.errorf(li, "a tab used for indentation (YAML allows only spaces)")
		case ind < minIndent:
			return "", 0, 0, r.errorf(li, "a quoted item goes on in a line not indented past its \"-\"")
		case ind == 0 && (marker(line, "---") || marker(line, "...")):
			return "", 0, 0, r.errorf(start, "unterminated %c-quoted item", q)
		}
		b = fold(b, blanks, escapedBreak)
		i = skipWhite(line, ind)
	}
}

// escape decodes the escape sequence at lines[li][i] ("\n", "\x41", …),
// appending it to b, and returns the index after it.
func (r *reader) escape(b []byte, li, i int) ([]byte, int, error) {
	line := r.lines[li]
	c := line[i+1]
	if j := strings.IndexByte(escapeCodes, c); j >= 0 {
		return append(b, escapeValues[j]...), i + 2, nil
	}
	var digits int
	switch c {
	case 'x':
		digits = 2
	case 'u':
		digits = 4
	case 'U':
		digits = 8
	default:
		return nil, 0, r.errorf(li, "unknown escape \"\\%c\" in a double-quoted item", c)
	}
	if i+2+digits > len(line) {
		return nil, 0, r.errorf(li, "\"\\%c\" needs %d hexadecimal digits", c, digits)
	}
	var v rune
	for _, d := range []byte(line[i+2 : i+2+digits]) {
		switch {
		case '0' <= d && d <= '9':
			v = v<<4 | rune(d-'0')
		case 'a' <= d && d <= 'f', 'A' <= d && d <= 'F':
			v = v<<4 | rune((d|0x20)-'a'+10)
		default:
			return nil, 0, r.errorf(li, "\"\\%c\" needs %d hexadecimal digits", c, digits)
		}
	}
	if v > 0x10FFFF || 0xD800 <= v && v < 0xE000 {
		return nil, 0, r.errorf(li, "\"\\%s\" is not a Unicode character", line[i+1:i+2+digits])
	}
	return append(b, string(v)...), i + 2 + digits, nil
}

// The one-character escapes of YAML 1.2 double-quoted scalars, and what
// each stands for ("\<tab>" is a tab too).
const escapeCodes = "0abt\tnvfre \"/\\N_LP"

var escapeValues = [len(escapeCodes)]string{
	"\x00", "\a", "\b", "\t", "\t", "\n", "\v", "\f", "\r", "\x1b", " ", "\"", "/", "\\",
	"\u0085", "\u00a0", "\u2028", "\u2029",
}

// fold joins a scalar's next line to b: one line break is a space (none
// after an escaped one), and every blank line in between a "\n".
func fold(b []byte, blanks int, escaped bool) []byte {
	if blanks == 0 && !escaped {
		return append(b, ' ')
	}
	for range blanks {
		b = append(b, '\n')
	}
	return b
}

// indicatorProblem says why an item, a key or the list may not start with
// the YAML indicator c.
func indicatorProblem(c byte, what string) string {
	switch {
	case c == '&':
		return "anchors (&) are not supported"
	case c == '|' || c == '>':
		return "block scalars (| and >) are not supported; write the item on one line, quoted if need be"
	case c == '*' && what != "an item":
		return "aliases (*) are not supported"
	case c == '!' && what != "an item":
		return "tags (!) are not supported"
	case c == '*':
		return "an item starting with \"*\" is a YAML alias, which is not supported; quote a pattern that starts with \"*\""
	case c == '!':
		return "an item starting with \"!\" is a YAML tag, which is not supported; quote a pattern that starts with \"!\""
	}
	return fmt.Sprintf("%s may not start with %q in YAML; quote it", what, c)
}

// isNull reports whether a plain scalar is YAML's null.
func isNull(s string) bool {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return true
	}
	return false
}

// nextContent returns the first line from li on that is neither blank nor
// only a comment.
func (r *reader) nextContent(li int) (int, bool) {
	for ; li < len(r.lines); li++ {
		if !blankOrComment(r.lines[li]) {
			return li, true
		}
	}
	return 0, false
}

// isEntry reports whether line has a sequence entry's "-" at column n.
func isEntry(line string, n int) bool {
	return n < len(line) && line[n] == '-' && endsToken(line, n+1)
}

// marker reports whether line is the document marker m ("---" or "...").
func marker(line, m string) bool {
	return strings.HasPrefix(line, m) && endsToken(line, len(m))
}

// endsToken reports whether line ends at i or has white space there.
func endsToken(line string, i int) bool { return i == len(line) || isWhite(line[i]) }

// endsFlowToken is endsToken inside a flow collection, where "," "]" and
// "}" also end a token.
func endsFlowToken(line string, i int) bool {
	return endsToken(line, i) || strings.IndexByte(",]}", line[i]) >= 0
}

// commentStart returns where a comment starts in line at or after i, or
// len(line).
func commentStart(line string, i int) int {
	for j := i; j < len(line); j++ {
		if line[j] == '#' && (j == 0 || isWhite(line[j-1])) {
			return j
		}
	}
	return len(line)
}

func isWhite(c byte) bool { return c == ' ' || c == '\t' }

func skipWhite(line string, i int) int {
	for i < len(line) && isWhite(line[i]) {
		i++
	}
	return i
}

func leadingSpaces(line string) int {
	n := 0
	for n < len(line) && line[n] == ' ' {
		n++
	}
	return n
}

// blank reports whether line holds only white space.
func blank(line string) bool { return skipWhite(line, 0) == len(line) }

// blankOrComment reports whether line holds only white space and a comment.
func blankOrComment(line string) bool {
	i := skipWhite(line, 0)
	return i == len(line) || line[i] == '#'
}
