package npmconfig

import (
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nrunjs/nrun/internal/lazyre"
)

// clean checks each value against its setting's types, converting what
// npm converts and dropping what it finds invalid (npm warns and goes on).
func (r *Result) clean() {
	kept := r.keys[:0]
	for _, k := range r.keys {
		def, hasType := lookup(k)
		types := def.typeList()
		v := r.vals[k]
		isList := v.kind == kList
		vals := []value{v}
		if isList {
			vals = v.list
		}
		if !hasType {
			types = []typ{{name: "literal", lit: boolean(false)}, {name: "literal", lit: boolean(true)}, {name: "null"}, {name: "String"}, {name: "Array"}}
		}
		var out []value
		for _, e := range vals {
			if e.kind == kString {
				e.s = strings.TrimSpace(e.s)
				switch {
				case e.s == "null" && has(types, "null"),
					e.s == "true" && (hasLiteral(types, boolean(true)) || has(types, "Boolean")),
					e.s == "false" && (hasLiteral(types, boolean(false)) || has(types, "Boolean")):
					e = jsonLiteral(e.s)
				case has(types, "Number") && !isNaN(e.s):
					n, _ := toNumber(e.s)
					e = number(n)
				case has(types, "Date"):
					if _, ok := parseDate(e.s); ok {
						e = value{kind: kObject, s: e.s}
					}
				}
			}
			if !hasType {
				out = append(out, e)
				continue
			}
			if e.kind == kBool && !e.b && has(types, "null") && !hasLiteral(types, boolean(false)) && !has(types, "Boolean") {
				e = null()
			}
			if c, ok := r.validate(e, types); ok {
				out = append(out, c)
			}
		}
		switch {
		case len(out) == 0 && !has(types, "Array"):
			delete(r.vals, k)
			continue
		case isList:
			r.vals[k] = list(out...)
		case len(out) > 0:
			r.vals[k] = out[0]
		default:
			r.vals[k] = undefined
		}
		kept = append(kept, k)
	}
	r.keys = kept
}

func jsonLiteral(s string) value {
	switch s {
	case "true":
		return boolean(true)
	case "false":
		return boolean(false)
	}
	return null()
}

// validate returns v as the first of types that accepts it makes it.
func (r *Result) validate(v value, types []typ) (value, bool) {
	for _, t := range types {
		switch t.name {
		case "Array":
			if len(types) == 1 {
				return v, true
			}
		case "null":
			if v.kind == kNull {
				return v, true
			}
		case "literal":
			if same(v, t.lit) {
				return v, true
			}
		case "String":
			return str(v.String()), true
		case "Boolean":
			return toBoolean(v), true
		case "Number":
			if n, ok := numberOf(v); ok {
				return number(n), true
			}
		case "path":
			if v.kind == kString {
				return str(r.resolvePath(v.s)), true
			}
		case "url":
			if u, ok := validURL(v.String()); ok {
				return str(u), true
			}
		case "Date":
			if v.kind == kObject {
				return v, true
			}
			if _, ok := parseDate(v.String()); ok {
				return value{kind: kObject, s: v.String()}, true
			}
		case "semver":
			if s, ok := validSemver(v.String()); ok {
				return str(s), true
			}
		case "Umask":
			if n, ok := umask(v); ok {
				return number(n), true
			}
		}
	}
	return value{}, false
}

func toBoolean(v value) value {
	switch v.kind {
	case kString:
		if n, ok := toNumber(v.s); ok {
			return boolean(n != 0)
		}
		return boolean(v.s != "null" && v.s != "false")
	case kBool:
		return v
	case kNumber:
		return boolean(v.n != 0 && v.n == v.n)
	case kNull, kUndefined:
		return boolean(false)
	}
	return boolean(true)
}

func numberOf(v value) (float64, bool) {
	switch v.kind {
	case kNumber:
		return v.n, v.n == v.n
	case kBool:
		if v.b {
			return 1, true
		}
		return 0, true
	case kNull:
		return 0, true
	case kString:
		return toNumber(v.s)
	}
	return 0, false
}

func (r *Result) resolvePath(p string) string {
	if r.ctx.Home != "" && (strings.HasPrefix(p, "~/") || filepath.Separator == '\\' && strings.HasPrefix(p, `~\`)) {
		return filepath.Join(r.ctx.Home, p[2:])
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(r.ctx.Dir, p)
}

// The patterns are compiled on first use: nrun's start must not pay for
// settings it is not given.
var urlRE = lazyre.Regexp{Expr: `^([a-zA-Z][a-zA-Z0-9+.-]*:)//([^/?#]+)(.*)$`}

// validURL keeps what Node's url.parse finds a host in, as npm requires,
// with the scheme and host lower-cased and a "/" path when there is none.
func validURL(s string) (string, bool) {
	m := urlRE.Get().FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	rest := m[3]
	if rest == "" || rest[0] != '/' {
		rest = "/" + rest
	}
	return strings.ToLower(m[1]) + "//" + strings.ToLower(m[2]) + rest, true
}

var semverRE = lazyre.Regexp{Expr: `^[v=\s]*(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`}

func validSemver(s string) (string, bool) {
	s = strings.TrimSpace(s)
	m := semverRE.Get().FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1] + "." + m[2] + "." + m[3] + m[4], true
}

var octalRE = lazyre.Regexp{Expr: `^0o?[0-7]+$`}

func umask(v value) (float64, bool) {
	if v.kind == kString {
		s := v.s
		if octalRE.Get().MatchString(s) {
			n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimPrefix(s, "0"), "o"), 8, 64)
			return float64(n), err == nil
		}
		if s != "" && s[0] >= '1' && s[0] <= '9' {
			n, err := strconv.ParseInt(s, 10, 64)
			return float64(n), err == nil
		}
		return 0, false
	}
	if v.kind != kNumber {
		return 0, false
	}
	n := float64(int64(v.n))
	return n, n >= 0 && n <= 511
}

// parseDate accepts the date forms Date.parse reads everywhere.
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02", "2006-01", "2006", time.RFC1123, time.RFC1123Z} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseField is npm's second reading of each value as it loads the
// command line: ${VAR} references expand, lists split, paths resolve.
func (r *Result) parseField(v value, key string, listElement bool) value {
	def, _ := lookup(key)
	types := def.typeList()
	if v.kind == kList {
		if listElement || !has(types, "Array") {
			return v
		}
		out := make([]value, len(v.list))
		for i, e := range v.list {
			out[i] = r.parseField(e, key, true)
		}
		return list(out...)
	}
	if v.kind != kString {
		return v
	}
	isPath := has(types, "path")
	isString := isPath || has(types, "String")
	isNumber := has(types, "Number")
	f := strings.TrimSpace(v.s)
	if !listElement && has(types, "Array") {
		parts := strings.Split(f, "\n\n")
		out := make([]value, len(parts))
		for i, p := range parts {
			out[i] = r.parseField(str(p), key, true)
		}
		return list(out...)
	}
	if has(types, "Boolean") && !isString && f == "" {
		return boolean(true)
	}
	if !isString && !isNumber {
		switch f {
		case "true":
			return boolean(true)
		case "false":
			return boolean(false)
		case "null":
			return null()
		case "undefined":
			return undefined
		}
	}
	f = envReplace(f, r.ctx.Lookup)
	if has(types, "Date") {
		return value{kind: kObject, s: f}
	}
	if isPath {
		f = r.resolvePath(f)
	}
	if has(types, "Umask") {
		if n, ok := umask(str(f)); ok {
			return number(n)
		}
		return str(f)
	}
	if isNumber && !isNaN(f) {
		n, _ := toNumber(f)
		return number(n)
	}
	return str(f)
}

var envExpr = lazyre.Regexp{Expr: `(\\*)\$\{([^${}?]+)(\?)?\}`}

// envReplace expands ${NAME} (and ${NAME?}, empty when unset) from the
// environment; a backslash before the $ keeps the reference as written.
func envReplace(s string, lookup func(string) (string, bool)) string {
	if !strings.Contains(s, "${") {
		return s
	}
	return envExpr.Get().ReplaceAllStringFunc(s, func(m string) string {
		sub := envExpr.Get().FindStringSubmatch(m)
		esc, name, optional := sub[1], sub[2], sub[3] == "?"
		if len(esc)%2 == 1 {
			return m[(len(esc)+1)/2:]
		}
		val, ok := lookup(name)
		if !ok {
			val = "${" + name + "}"
			if optional {
				val = ""
			}
		}
		return esc[len(esc)/2:] + val
	})
}
