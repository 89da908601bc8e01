package npmconfig

import (
	"sort"
	"strconv"
	"strings"
)

// setting is one of npm's settings; types holds its value types as gen.js
// writes them: names of npm's type checks, null, or JSON literals.
type setting struct {
	name  string
	types string
	def   string // the default as JSON; "" where npm computes it per machine
	flags uint8
}

const (
	deprecated = 1 << iota
	noExport
)

type shorthand struct {
	name   string
	expand []string
}

// typ is one of a setting's value types.
type typ struct {
	name string // "Boolean", "String", "null", "literal"...
	lit  value  // for "literal"
}

func (s setting) typeList() []typ {
	var out []typ
	for _, f := range strings.Fields(s.types) {
		switch {
		case f == "null":
			out = append(out, typ{name: "null"})
		case f[0] == '"':
			u, _ := strconv.Unquote(f)
			out = append(out, typ{name: "literal", lit: str(u)})
		case f == "true" || f == "false":
			out = append(out, typ{name: "literal", lit: boolean(f == "true")})
		case f[0] >= '0' && f[0] <= '9':
			n, _ := strconv.ParseFloat(f, 64)
			out = append(out, typ{name: "literal", lit: number(n)})
		default:
			out = append(out, typ{name: f})
		}
	}
	return out
}

func has(types []typ, name string) bool {
	for _, t := range types {
		if t.name == name {
			return true
		}
	}
	return false
}

func hasLiteral(types []typ, v value) bool {
	for _, t := range types {
		if t.name == "literal" && same(t.lit, v) {
			return true
		}
	}
	return false
}

func lookup(name string) (setting, bool) {
	i := sort.Search(len(settings), func(i int) bool { return settings[i].name >= name })
	if i < len(settings) && settings[i].name == name {
		return settings[i], true
	}
	return setting{}, false
}

func lookupShort(name string) ([]string, bool) {
	i := sort.Search(len(shorthands), func(i int) bool { return shorthands[i].name >= name })
	if i < len(shorthands) && shorthands[i].name == name {
		return shorthands[i].expand, true
	}
	return nil, false
}

// abbrev returns the one name of names that is or starts with prefix, as
// npm's abbreviation table does, or "".
func abbrev[T any](items []T, nameOf func(T) string, prefix string) string {
	found := ""
	for _, it := range items {
		n := nameOf(it)
		if n == prefix {
			return n
		}
		if strings.HasPrefix(n, prefix) {
			if found != "" {
				return ""
			}
			found = n
		}
	}
	return found
}

func settingAbbrev(p string) string {
	if p == "" {
		return ""
	}
	return abbrev(settings, func(s setting) string { return s.name }, p)
}

func shortAbbrev(p string) string {
	if p == "" {
		return ""
	}
	return abbrev(shorthands, func(s shorthand) string { return s.name }, p)
}

// Context is what a parse reads from outside the command line.
type Context struct {
	Dir    string                      // the directory relative paths resolve against
	Home   string                      // for ~/ in paths
	Lookup func(string) (string, bool) // the environment, for ${VAR} and npm_config_*
}

// Result is an npm command line after parsing.
type Result struct {
	// Args are the positional arguments in order, with everything after
	// "--": for `npm run`, the script's name, then its arguments.
	Args []string

	keys []string
	vals map[string]value
	ctx  Context
}

// allDashes reports /^-{2,}$/: "--", "---"...
func allDashes(s string) bool {
	return len(s) >= 2 && strings.Trim(s, "-") == ""
}

// Parse reads args (what follows npm's command word) as npm 11 does.
func Parse(args []string, ctx Context) *Result {
	if ctx.Lookup == nil {
		ctx.Lookup = func(string) (string, bool) { return "", false }
	}
	r := &Result{vals: map[string]value{}, ctx: ctx}
	r.parse(append([]string(nil), args...))
	r.clean()
	for _, k := range r.keys {
		r.vals[k] = r.parseField(r.vals[k], k, false)
	}
	return r
}

func (r *Result) set(k string, v value, isArray bool) {
	old, ok := r.vals[k]
	if !ok {
		r.keys = append(r.keys, k)
	}
	if isArray {
		if !ok {
			old = list()
		} else if old.kind != kList {
			old = list(old)
		}
		r.vals[k] = list(append(old.list, v)...)
		return
	}
	r.vals[k] = v
}

func splice(a []string, i int, with ...string) []string {
	out := make([]string, 0, len(a)+len(with))
	out = append(out, a[:i]...)
	out = append(out, with...)
	return append(out, a[i+1:]...)
}

// parse is nopt's walk over the arguments.
func (r *Result) parse(args []string) {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if allDashes(arg) {
			r.Args = append(r.Args, args[i+1:]...)
			return
		}
		if len(arg) < 2 || arg[0] != '-' {
			r.Args = append(r.Args, arg)
			continue
		}
		hadEq := false
		if at := strings.IndexByte(arg, '='); at >= 0 {
			hadEq = true
			v := arg[at+1:]
			arg = arg[:at]
			args = splice(args, i, arg, v)
		}
		if sh := resolveShort(arg); sh != nil {
			args = splice(args, i, sh...)
			if arg != sh[0] {
				i--
				continue
			}
		}
		arg = strings.TrimLeft(arg, "-")
		no, negated := false, false
		for strings.HasPrefix(strings.ToLower(arg), "no-") {
			no, negated = !no, true
			arg = arg[3:]
		}
		if full := settingAbbrev(arg); full != "" && full != arg {
			arg = full
		}
		def, hasType := lookup(arg)
		types := def.typeList()
		typeArray := len(types) > 1
		single := func(name string) bool { return len(types) == 1 && types[0].name == name }
		isArray := single("Array") || typeArray && has(types, "Array")
		if _, seen := r.vals[arg]; !hasType && seen {
			// npm keeps every value of an unknown flag given twice.
			isArray = true
		}
		var la *string
		if i+1 < len(args) {
			la = &args[i+1]
		}
		laIs := func(s string) bool { return la != nil && *la == s }
		isBool := negated || single("Boolean") || typeArray && has(types, "Boolean") ||
			!hasType && !hadEq || laIs("false") && (typeArray && has(types, "null"))
		if isBool {
			val := !no
			if laIs("true") || laIs("false") {
				val = *la == "true"
				la = nil
				if no {
					val = !val
				}
				i++
			}
			v := boolean(val)
			if typeArray && la != nil {
				switch l := *la; {
				case hasLiteral(types, str(l)):
					v = str(l)
					i++
				case l == "null" && has(types, "null"):
					v = null()
					i++
				case !startsDashesThenOther(l) && !isNaN(l) && has(types, "Number"):
					n, _ := toNumber(l)
					v = number(n)
					i++
				case !(len(l) > 1 && l[0] == '-' && l[1] != '-') && has(types, "String"):
					v = str(l)
					i++
				}
			}
			r.set(arg, v, isArray)
			continue
		}
		var val value
		if single("String") {
			if la == nil {
				empty := ""
				la = &empty
			} else if flagLike(*la) {
				empty := ""
				la = &empty
				i--
			}
		}
		if la != nil && allDashes(*la) {
			la = nil
			i--
		}
		if la == nil {
			val = boolean(true)
		} else {
			val = str(*la)
		}
		r.set(arg, val, isArray)
		i++
	}
}

// flagLike reports /^-{1,2}[^-]+/: one or two dashes, then something else.
func flagLike(s string) bool {
	n := 0
	for n < len(s) && n < 2 && s[n] == '-' {
		n++
	}
	return n >= 1 && n < len(s) && s[n] != '-'
}

func startsDashesThenOther(s string) bool {
	n := 0
	for n < len(s) && s[n] == '-' {
		n++
	}
	return n >= 2 && n < len(s)
}

// resolveShort is nopt's reading of a short option: a shorthand, a run
// of one-letter shorthands (-ab), or a prefix of a shorthand; nil when
// the argument is a setting (or an abbreviation of one) instead.
func resolveShort(arg string) []string {
	arg = strings.TrimLeft(arg, "-")
	if settingAbbrev(arg) == arg && arg != "" {
		return nil
	}
	if sh, ok := lookupShort(arg); ok {
		return sh
	}
	if arg != "" {
		var out []string
		for _, c := range arg {
			sh, ok := lookupShort(string(c))
			if !ok || len(string(c)) != 1 {
				out = nil
				break
			}
			out = append(out, sh...)
		}
		if out != nil {
			return out
		}
	}
	if settingAbbrev(arg) != "" {
		return nil
	}
	if full := shortAbbrev(arg); full != "" {
		sh, _ := lookupShort(full)
		return sh
	}
	return nil
}
