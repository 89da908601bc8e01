package pkgjson

import (
	"bytes"
	"encoding/binary"
)

// checkJSON reports whether data is exactly one JSON value (RFC 8259) with
// optional whitespace around it, and, when nesting exceeds maxDepth, the
// offset of the bracket that does so (deep >= 0).
func checkJSON(data []byte) (ok bool, deep int) { return scanJSON(data, nil) }

// scanned is what one pass over package.json collects besides the verdict.
type scanned struct {
	// fields are the members of a top-level object in file order, raw
	// values sharing the scanned text's memory.
	fields []field
	// scripts are the members of every top-level "scripts" object, keys
	// raw (quoted), each tagged with the index of its field: with duplicate
	// "scripts" keys only the last field's members count.
	scripts []rawMember
}

// rawMember is a recorded member by its offsets in the scanned text:
// four times as many fit in the memory strings would take, and a thousand
// scripts are recorded on every start.
type rawMember struct {
	field                              int32
	keyStart, keyEnd, valStart, valEnd int32
}

// key and val are m's raw key (quoted) and value in text.
func (m rawMember) key(text string) string { return text[m.keyStart:m.keyEnd] }
func (m rawMember) val(text string) string { return text[m.valStart:m.valEnd] }

// scanJSON is checkJSON that also fills r (when not nil) on the way.
//
// Validation, the top-level keys and the scripts come out of one walk of
// the bytes: package.json is mostly script and dependency text, and every
// further walk of it cost as much as the validation itself. There is no
// recursion, so no file can exhaust the stack however deep it nests. Like
// JSON.parse on text Node has already decoded, it does not judge UTF-8: the
// decoder replaces bad bytes.
func scanJSON(data []byte, r *scanned) (ok bool, deep int) {
	const (
		wantValue      = iota // a value must come
		wantValueOrEnd        // after '[': a value or ']'
		wantKey               // after ',' in an object: a key
		wantKeyOrEnd          // after '{': a key or '}'
		wantNext              // after a value: ',', a closing bracket or the end
	)
	text := bytesToString(data)
	stack := make([]byte, 0, 16) // the open brackets
	state, i := wantValue, 0
	// Recording: the top-level key being read, where its value starts, and
	// whether that value is the "scripts" object whose members are wanted.
	var (
		topKey        string
		topStart, mem int
		inScripts     bool
		recordRoot    = r != nil
	)
	if j := skipSpace(data, 0); j >= len(data) || data[j] != '{' {
		recordRoot = false // the caller rejects anything but an object
	}
	// ended records a value that ends at end with depth open brackets
	// around it.
	ended := func(depth, end int) {
		switch {
		case depth == 1:
			r.fields = append(r.fields, field{topKey, text[topStart:end]})
			inScripts = false
		case depth == 2 && inScripts:
			m := &r.scripts[len(r.scripts)-1]
			m.valStart, m.valEnd = int32(mem), int32(end)
		}
	}
	for {
		i = skipSpace(data, i)
		if i >= len(data) {
			return state == wantNext && len(stack) == 0, -1
		}
		c := data[i]
		switch state {
		case wantValue, wantValueOrEnd:
			if c == ']' && state == wantValueOrEnd {
				stack, i, state = stack[:len(stack)-1], i+1, wantNext
				if recordRoot && len(stack) <= 2 {
					ended(len(stack), i)
				}
				continue
			}
			depth := len(stack)
			if recordRoot {
				switch {
				case depth == 1:
					topStart = i
					inScripts = c == '{' && topKey == "scripts"
				case depth == 2 && inScripts:
					mem = i
				}
			}
			if c == '{' || c == '[' {
				if depth == maxDepth {
					return false, i
				}
				stack, i = append(stack, c), i+1
				state = wantValueOrEnd
				if c == '{' {
					state = wantKeyOrEnd
				}
				continue
			}
			if i = scanScalar(data, i); i < 0 {
				return false, -1
			}
			state = wantNext
			if recordRoot && depth <= 2 {
				ended(depth, i)
			}
		case wantKey, wantKeyOrEnd:
			if c == '}' && state == wantKeyOrEnd {
				stack, i, state = stack[:len(stack)-1], i+1, wantNext
				if recordRoot && len(stack) <= 2 {
					ended(len(stack), i)
				}
				continue
			}
			if c != '"' {
				return false, -1
			}
			start := i
			if i = scanString(data, i); i < 0 {
				return false, -1
			}
			if recordRoot {
				switch {
				case len(stack) == 1:
					topKey = jsString(text[start:i])
				case len(stack) == 2 && inScripts:
					r.scripts = append(r.scripts, rawMember{field: int32(len(r.fields)), keyStart: int32(start), keyEnd: int32(i)})
				}
			}
			if i = skipSpace(data, i); i >= len(data) || data[i] != ':' {
				return false, -1
			}
			i, state = i+1, wantValue
		case wantNext:
			if len(stack) == 0 {
				return false, -1 // something after the one value
			}
			switch open := stack[len(stack)-1]; {
			case c == ',':
				i, state = i+1, wantValue
				if open == '{' {
					state = wantKey
				}
			case c == '}' && open == '{', c == ']' && open == '[':
				stack, i = stack[:len(stack)-1], i+1
				if recordRoot && len(stack) <= 2 {
					ended(len(stack), i)
				}
			default:
				return false, -1
			}
		}
	}
}

func skipSpace(data []byte, i int) int {
	for i >= 0 && i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// scanScalar checks the string, number or literal at i and returns the
// offset after it, or -1.
func scanScalar(data []byte, i int) int {
	switch c := data[i]; {
	case c == '"':
		return scanString(data, i)
	case c == '-' || '0' <= c && c <= '9':
		return scanNumber(data, i)
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if len(data)-i >= len(lit) && string(data[i:i+len(lit)]) == lit {
			return i + len(lit)
		}
	}
	return -1
}

// scanString checks the string starting at the quote at i and returns the
// offset after its closing quote, or -1: no raw control characters, and
// only JSON's escapes.
//
// Strings are most of package.json, so they are not read byte by byte:
// IndexByte finds the quotes and backslashes, and hasControl tests eight
// bytes at a time. The next quote is searched for again only once an escape
// has run past it, so a string full of escapes is still read once. A long
// string is taken a window at a time, so that the three searches over a
// stretch of it find it in the processor's cache: a megabyte description
// would otherwise be read from memory three times.
func scanString(data []byte, i int) int {
	const window = 8 << 10
	i++
	q := -1    // the next quote at or after i, once known
	clear := i // no quote before this offset
	for {
		if q < i {
			from := max(i, clear)
			end := min(from+window, len(data))
			if j := bytes.IndexByte(data[from:end], '"'); j >= 0 {
				q = from + j
			} else if end == len(data) {
				return -1 // no closing quote
			} else {
				clear = end
			}
		}
		stop := clear // where this stretch ends: the quote, or the window's end
		if q >= i {
			stop = q
		}
		k := bytes.IndexByte(data[i:stop], '\\')
		if k < 0 {
			if hasControl(data[i:stop]) {
				return -1
			}
			if stop == q {
				return q + 1
			}
			i = stop
			continue
		}
		if hasControl(data[i : i+k]) {
			return -1
		}
		i += k // at the backslash
		if i+1 >= len(data) {
			return -1
		}
		switch data[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i += 2
		case 'u':
			if i+5 >= len(data) || !isHex(data[i+2]) || !isHex(data[i+3]) || !isHex(data[i+4]) || !isHex(data[i+5]) {
				return -1
			}
			i += 6
		default:
			return -1
		}
	}
}

// hasControl reports whether b holds a byte below 0x20, which JSON forbids
// raw in strings. A word has such a byte exactly when subtracting 0x20 from
// each byte borrows out of one whose top bit was clear. Four words are
// tested per branch: a long string (a description of a megabyte) is
// mostly loop overhead otherwise.
func hasControl(b []byte) bool {
	const k, top = 0x2020202020202020, 0x8080808080808080
	for ; len(b) >= 32; b = b[32:] {
		x0 := binary.LittleEndian.Uint64(b)
		x1 := binary.LittleEndian.Uint64(b[8:])
		x2 := binary.LittleEndian.Uint64(b[16:])
		x3 := binary.LittleEndian.Uint64(b[24:])
		if ((x0-k)&^x0|(x1-k)&^x1|(x2-k)&^x2|(x3-k)&^x3)&top != 0 {
			return true
		}
	}
	for ; len(b) >= 8; b = b[8:] {
		x := binary.LittleEndian.Uint64(b)
		if (x-k)&^x&top != 0 {
			return true
		}
	}
	for _, c := range b {
		if c < 0x20 {
			return true
		}
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// scanNumber checks -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? at i.
func scanNumber(data []byte, i int) int {
	digits := func(i int) (int, bool) {
		start := i
		for i < len(data) && '0' <= data[i] && data[i] <= '9' {
			i++
		}
		return i, i > start
	}
	if data[i] == '-' {
		i++
	}
	if i < len(data) && data[i] == '0' {
		i++
	} else if j, ok := digits(i); ok {
		i = j
	} else {
		return -1
	}
	if i < len(data) && data[i] == '.' {
		j, ok := digits(i + 1)
		if !ok {
			return -1
		}
		i = j
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		j, ok := digits(i)
		if !ok {
			return -1
		}
		i = j
	}
	return i
}
