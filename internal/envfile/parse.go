package envfile

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// KV is one assignment read from an environment file.
type KV struct {
	Key, Value string
	File       string // the file it was read from; empty from Parse
	Line       int    // the line its name starts on, from 1
}

// Error is a file nrun will not load: unreadable, or with a name or value
// that an environment cannot hold as written.
type Error struct {
	File string
	Line int // 0 when the whole file is meant
	Msg  string
	Err  error // the cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File + ": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Parse reads data as `node --env-file` does (see the package comment) and
// returns its assignments in the order they appear, repeated names
// included. It fails, naming the line, when a name or value holds a NUL
// byte or bytes that are not UTF-8.
func Parse(data []byte) ([]KV, error) {
	kvs := parse(string(data))
	for _, kv := range kvs {
		if err := check(kv); err != nil {
			return nil, err
		}
	}
	return kvs, nil
}

// check rejects what Node would not pass on as written.
func check(kv KV) error {
	for _, part := range []struct{ what, s string }{{"name", kv.Key}, {"value of " + printable(kv.Key), kv.Value}} {
		switch {
		case strings.IndexByte(part.s, 0) >= 0:
			return &Error{Line: kv.Line, Msg: "NUL byte in the " + part.what}
		case !utf8.ValidString(part.s):
			return &Error{Line: kv.Line, Msg: "invalid UTF-8 in the " + part.what}
		}
	}
	return nil
}

// printable is a name as a message shows it: quoted when it would not
// read as one word.
func printable(name string) string {
	for _, r := range name {
		if r <= ' ' || r == '"' || r == utf8.RuneError || r == 0x7f {
			return fmt.Sprintf("%q", name)
		}
	}
	return name
}

// scanner walks the text that remains to be read, text[pos:end], as Node's
// reader walks its view of the file.
type scanner struct {
	text     string
	pos, end int
	line     int // the line of pos, from 1
	linePos  int // the position line was counted up to
}

// rest is what remains to be read.
func (s *scanner) rest() string { return s.text[s.pos:s.end] }

// skip moves the start forward by n bytes.
func (s *scanner) skip(n int) { s.pos += n }

// trim drops spaces (U+0020 only) from both ends of what remains.
func (s *scanner) trim() {
	for s.pos < s.end && s.text[s.pos] == ' ' {
		s.pos++
	}
	for s.end > s.pos && s.text[s.end-1] == ' ' {
		s.end--
	}
}

// lineAt is the line number of position p, which never moves backwards.
func (s *scanner) lineAt(p int) int {
	s.line += strings.Count(s.text[s.linePos:p], "\n")
	s.linePos = p
	return s.line
}

// skipLine moves past the next newline, or to the end if there is none.
func (s *scanner) skipLine() {
	if i := strings.IndexByte(s.rest(), '\n'); i >= 0 {
		s.skip(i + 1)
		return
	}
	s.pos = s.end
}

func parse(data string) []KV {
	// Line numbers count the newlines, which removing CRs keeps.
	s := &scanner{text: strings.ReplaceAll(data, "\r", ""), line: 1}
	s.end = len(s.text)
	s.trim()
	var out []KV
	for s.pos < s.end {
		rest := s.rest()
		if rest[0] == '\n' || rest[0] == '#' {
			// A blank or comment line; a comment on the last line with no
			// newline after it is not skipped but read as an assignment.
			if i := strings.IndexByte(rest, '\n'); i >= 0 {
				s.skip(i + 1)
				continue
			}
		}
		eq := strings.IndexByte(rest, '=')
		if eq < 0 {
			break
		}
		line := s.lineAt(s.pos)
		key := strings.Trim(rest[:eq], " ")
		if key == "" && eq > 0 && s.pos > 0 {
			// Node's trimming, given nothing but spaces, steps one byte
			// back and keeps it: the newline before them. So "  =x" on a
			// line of its own sets "\n", where "=x" ends the reading.
			key = s.text[s.pos-1 : s.pos]
		}
		s.skip(eq + 1)
		s.trim()
		if key == "" {
			break
		}
		key = strings.TrimPrefix(key, "export ")
		rest = s.rest()
		if rest == "" {
			out = append(out, KV{Key: key, Line: line})
			break
		}
		if q := rest[0]; q == '"' || q == '\'' || q == '`' {
			if c := strings.IndexByte(rest[1:], q); c >= 0 {
				value := rest[1 : 1+c]
				if q == '"' {
					value = strings.ReplaceAll(value, `\n`, "\n")
				}
				out = append(out, KV{Key: key, Value: value, Line: line})
				s.skip(1 + c + 1)
				s.skipLine() // what follows the closing quote is ignored
				continue
			}
			// Unclosed: the quote is part of a plain value that runs to
			// the end of the line, untrimmed and with any "#" kept. On the
			// last line nothing is set, and the value is read again from
			// its quote as if it began a name.
			if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
				out = append(out, KV{Key: key, Value: rest[:nl], Line: line})
				s.skip(nl)
			}
			continue
		}
		value := rest
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			value = rest[:nl]
			s.skip(nl)
		} else {
			s.pos = s.end
		}
		if i := strings.IndexByte(value, '#'); i >= 0 {
			value = value[:i]
		}
		out = append(out, KV{Key: key, Value: strings.Trim(value, " "), Line: line})
	}
	return out
}
