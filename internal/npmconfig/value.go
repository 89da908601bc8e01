package npmconfig

import (
	"math"
	"strconv"
	"strings"
)

// kind is the JavaScript type of a setting's value.
type kind uint8

const (
	kUndefined kind = iota
	kNull
	kBool
	kString
	kNumber
	kObject // a Date: never exported
	kList
)

// value is a JavaScript value as npm's parser holds it.
type value struct {
	kind kind
	b    bool
	s    string
	n    float64
	list []value
}

var undefined = value{}

func null() value                   { return value{kind: kNull} }
func boolean(b bool) value          { return value{kind: kBool, b: b} }
func str(s string) value            { return value{kind: kString, s: s} }
func number(n float64) value        { return value{kind: kNumber, n: n} }
func list(vs ...value) value        { return value{kind: kList, list: vs} }
func (v value) defined() bool       { return v.kind != kUndefined }
func (v value) isStr(s string) bool { return v.kind == kString && v.s == s }

// same is JavaScript's === for the values a setting can hold, and element
// by element for lists, as npm compares a value with a default.
func same(a, b value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case kBool:
		return a.b == b.b
	case kString:
		return a.s == b.s
	case kNumber:
		return a.n == b.n
	case kList:
		if len(a.list) != len(b.list) {
			return false
		}
		for i := range a.list {
			if !same(a.list[i], b.list[i]) {
				return false
			}
		}
		return true
	case kObject:
		return false // two Date objects are never ===
	}
	return true
}

// String is JavaScript's String(v).
func (v value) String() string {
	switch v.kind {
	case kUndefined:
		return "undefined"
	case kNull:
		return "null"
	case kBool:
		return strconv.FormatBool(v.b)
	case kNumber:
		return jsNumber(v.n)
	case kList:
		parts := make([]string, len(v.list))
		for i, e := range v.list {
			if e.kind != kNull && e.kind != kUndefined {
				parts[i] = e.String()
			}
		}
		return strings.Join(parts, ",")
	case kObject:
		return v.s
	}
	return v.s
}

// envValue is what npm puts in the environment for v, and false when v
// (an object) is not exported: lists joined by blank lines, null and false
// as the empty string.
func envValue(v value) (string, bool) {
	switch v.kind {
	case kList:
		parts := make([]string, len(v.list))
		for i, e := range v.list {
			parts[i], _ = envValue(e)
		}
		return strings.Join(parts, "\n\n"), true
	case kNull, kUndefined:
		return "", true
	case kBool:
		if !v.b {
			return "", true
		}
	case kObject:
		return "", false
	}
	return v.String(), true
}

// jsNumber formats n as JavaScript's Number.prototype.toString does.
func jsNumber(n float64) string {
	switch {
	case math.IsNaN(n):
		return "NaN"
	case math.IsInf(n, 1):
		return "Infinity"
	case math.IsInf(n, -1):
		return "-Infinity"
	case n == 0:
		return "0"
	}
	if a := math.Abs(n); a >= 1e21 || a < 1e-6 {
		s := strconv.FormatFloat(n, 'e', -1, 64)
		mant, exp, _ := strings.Cut(s, "e")
		if exp[0] == '+' {
			exp = exp[1:]
			return mant + "e+" + strings.TrimLeft(exp, "0")
		}
		return mant + "e-" + strings.TrimLeft(exp[1:], "0")
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}

// toNumber is JavaScript's Number(s) for a string; ok is false for NaN.
func toNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	switch s {
	case "Infinity", "+Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			u, err := strconv.ParseUint(s[2:], base, 64)
			return float64(u), err == nil
		}
	}
	for i := 0; i < len(s); i++ {
		// strconv also takes hex floats, "inf", "nan" and underscores,
		// which Number() does not.
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

// isNaN is JavaScript's isNaN for a string.
func isNaN(s string) bool {
	_, ok := toNumber(s)
	return !ok
}
