package pkgjson

// checkJSON reports whether data is exactly one JSON value (RFC 8259) with
// optional whitespace around it, and, when nesting exceeds maxDepth, the
// offset of the bracket that does so (deep >= 0).
//
// It replaces a depth scan followed by gjson's validator: one pass instead
// of two over what is mostly script text, and no recursion, so no file can
// exhaust the stack however deep it nests. Like JSON.parse on text Node has
// already decoded, it does not judge UTF-8: the decoder replaces bad bytes.
func checkJSON(data []byte) (ok bool, deep int) {
	const (
		wantValue      = iota // a value must come
		wantValueOrEnd        // after '[': a value or ']'
		wantKey               // after ',' in an object: a key
		wantKeyOrEnd          // after '{': a key or '}'
		wantNext              // after a value: ',', a closing bracket or the end
	)
	stack := make([]byte, 0, 16) // the open brackets
	state, i := wantValue, 0
	for {
		i = skipSpace(data, i)
		if i >= len(data) {
			return state == wantNext && len(stack) == 0, -1
		}
		c := data[i]
		switch state {
		case wantValue, wantValueOrEnd:
			switch {
			case c == ']' && state == wantValueOrEnd:
				stack, i, state = stack[:len(stack)-1], i+1, wantNext
			case c == '{' || c == '[':
				if len(stack) == maxDepth {
					return false, i
				}
				stack, i = append(stack, c), i+1
				state = wantValueOrEnd
				if c == '{' {
					state = wantKeyOrEnd
				}
			default:
				if i = scanScalar(data, i); i < 0 {
					return false, -1
				}
				state = wantNext
			}
		case wantKey, wantKeyOrEnd:
			if c == '}' && state == wantKeyOrEnd {
				stack, i, state = stack[:len(stack)-1], i+1, wantNext
				continue
			}
			if c != '"' {
				return false, -1
			}
			if i = skipSpace(data, scanString(data, i)); i < 0 || i >= len(data) || data[i] != ':' {
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
func scanString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			return i + 1
		case c < 0x20:
			return -1
		case c == '\\':
			if i+1 >= len(data) {
				return -1
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if i+5 >= len(data) || !isHex(data[i+2]) || !isHex(data[i+3]) || !isHex(data[i+4]) || !isHex(data[i+5]) {
					return -1
				}
				i += 5
			default:
				return -1
			}
		}
	}
	return -1
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
