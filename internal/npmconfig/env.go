package npmconfig

import (
	"slices"
	"strings"
)

// Env returns the npm_config_* variables npm would export to scripts for
// the settings on the command line: each one whose value differs from its
// default, and one at its default where the environment says otherwise.
// Deprecated settings, those npm keeps to itself, names starting with
// "/", "@" or "_" (registry credentials) and objects are left out.
func (r *Result) Env() []string {
	var out []string
	for _, k := range r.keys {
		v := r.vals[k]
		def, known := lookup(k)
		if def.flags&(deprecated|noExport) != 0 {
			continue
		}
		if known && def.def != "" && same(r.defaultOf(def), v) {
			env, set := r.fromEnv(k, def)
			if !set || same(env, v) {
				continue
			}
		}
		if k == "" || strings.ContainsAny(k[:1], "/@_") {
			continue
		}
		ev, ok := envValue(v)
		if !ok {
			continue
		}
		out = append(out, "npm_config_"+strings.ToLower(strings.ReplaceAll(k, "-", "_"))+"="+ev)
	}
	return out
}

// defaultOf reads a setting's default from its JSON.
func (r *Result) defaultOf(def setting) value {
	j := def.def
	switch {
	case j == "null":
		return null()
	case j == "true" || j == "false":
		return boolean(j == "true")
	case j == "[]":
		return list()
	case strings.HasPrefix(j, `"`):
		return str(unquoteJSON(j))
	}
	if n, ok := toNumber(j); ok {
		return number(n)
	}
	return undefined
}

// fromEnv is the value npm reads for a setting from npm_config_* in the
// environment; set is false when it is absent or empty.
func (r *Result) fromEnv(key string, def setting) (value, bool) {
	v, ok := r.ctx.Lookup("npm_config_" + strings.ReplaceAll(key, "-", "_"))
	if !ok || v == "" {
		return undefined, false
	}
	return r.parseField(str(v), key, false), true
}

func unquoteJSON(j string) string {
	s := j[1 : len(j)-1]
	if !strings.ContainsRune(s, '\\') {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Bool reports a boolean setting given on the command line.
func (r *Result) Bool(name string) bool {
	v := r.vals[name]
	return v.kind == kBool && v.b
}

// Given reports whether a setting was given.
func (r *Result) Given(name string) bool {
	_, ok := r.vals[name]
	return ok
}

// String returns a string setting given on the command line, and whether
// it was one.
func (r *Result) String(name string) (string, bool) {
	v, ok := r.vals[name]
	if !ok || v.kind != kString {
		return "", false
	}
	return v.s, true
}

// List returns the strings of a list setting (npm's -w NAME...).
func (r *Result) List(name string) []string {
	var out []string
	for _, e := range r.vals[name].list {
		out = append(out, e.String())
	}
	return out
}

// OnlyPassedOn reports whether every setting given is either one of
// allowed or unknown to npm: a setting npm itself does nothing with but
// hand to the script as npm_config_*.
func (r *Result) OnlyPassedOn(allowed ...string) bool {
	for _, k := range r.keys {
		if _, known := lookup(k); known && !slices.Contains(allowed, k) {
			return false
		}
	}
	return true
}

// Drop forgets a setting, so that it is not exported.
func (r *Result) Drop(name string) {
	delete(r.vals, name)
	r.keys = slices.DeleteFunc(r.keys, func(k string) bool { return k == name })
}
