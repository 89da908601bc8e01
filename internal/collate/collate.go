package collate

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Compare returns -1, 0 or +1 as a sorts before, equal to or after b in
// a.localeCompare(b, "en") order, ties broken bytewise; 0 only when a == b.
// It suits slices.SortFunc.
func Compare(a, b string) int {
	if c := level(a, b, primary); c != 0 {
		return c
	}
	if c := level(a, b, caseWeight); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// order is ICU's root order of printable ASCII (a letter stands for both
// of its cases), after the whitespace controls \t \n \v \f \r. It is the
// source of asciiPrimary, which a test rebuilds from it.
const order = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz"

// asciiPrimary[c] is 1 + the index of c (lowercased) in order; 0 marks an
// ignorable character.
var asciiPrimary = [utf8.RuneSelf]uint8{
	'\t': 1, '\n': 2, '\v': 3, '\f': 4, '\r': 5, ' ': 6, '_': 7, '-': 8, ',': 9, ';': 10, ':': 11,
	'!': 12, '?': 13, '.': 14, '\'': 15, '"': 16, '(': 17, ')': 18, '[': 19, ']': 20, '{': 21, '}': 22,
	'@': 23, '*': 24, '/': 25, '\\': 26, '&': 27, '#': 28, '%': 29, '`': 30, '^': 31, '+': 32, '<': 33,
	'=': 34, '>': 35, '|': 36, '~': 37, '$': 38, '0': 39, '1': 40, '2': 41, '3': 42, '4': 43, '5': 44,
	'6': 45, '7': 46, '8': 47, '9': 48,
	'a': 49, 'b': 50, 'c': 51, 'd': 52, 'e': 53, 'f': 54, 'g': 55, 'h': 56, 'i': 57, 'j': 58, 'k': 59,
	'l': 60, 'm': 61, 'n': 62, 'o': 63, 'p': 64, 'q': 65, 'r': 66, 's': 67, 't': 68, 'u': 69, 'v': 70,
	'w': 71, 'x': 72, 'y': 73, 'z': 74,
	'A': 49, 'B': 50, 'C': 51, 'D': 52, 'E': 53, 'F': 54, 'G': 55, 'H': 56, 'I': 57, 'J': 58, 'K': 59,
	'L': 60, 'M': 61, 'N': 62, 'O': 63, 'P': 64, 'Q': 65, 'R': 66, 'S': 67, 'T': 68, 'U': 69, 'V': 70,
	'W': 71, 'X': 72, 'Y': 73, 'Z': 74,
}

// primary is the first-level weight: 0 for an ignorable character; other
// characters than ASCII come after all of ASCII, by case-folded code point.
func primary(r rune) int32 {
	if r < utf8.RuneSelf {
		return int32(asciiPrimary[r])
	}
	return utf8.RuneSelf + int32(len(order)) + unicode.ToLower(r)
}

// caseWeight is the second level: lowercase (and uncased) before uppercase.
func caseWeight(r rune) int32 {
	if primary(r) == 0 {
		return 0
	}
	if unicode.IsUpper(r) {
		return 2
	}
	return 1
}

// level compares a and b by one weight, skipping ignorable characters.
func level(a, b string, weight func(rune) int32) int {
	i, j := 0, 0
	for {
		var wa, wb int32
		for wa == 0 && i < len(a) {
			r, n := utf8.DecodeRuneInString(a[i:])
			i += n
			wa = weight(r)
		}
		for wb == 0 && j < len(b) {
			r, n := utf8.DecodeRuneInString(b[j:])
			j += n
			wb = weight(r)
		}
		switch {
		case wa == 0 && wb == 0:
			return 0
		case wa < wb:
			return -1
		case wa > wb:
			return 1
		}
	}
}
