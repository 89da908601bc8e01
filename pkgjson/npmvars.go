package pkgjson

// The npm_package_* variables, computed as npm 10/11 computes them, without
// Node and from the raw JSON of the few package.json fields involved.
//
// npm reads package.json with JSON.parse, normalises it (@npmcli/package-json
// normalize(): for these variables only "bin" changes), and flattens five
// fields with @npmcli/run-script's package-envs.js:
//
//	name, version, config, engines, bin   → npm_package_<field>...
//
//	string           the value as is
//	number           JavaScript's String(n): 1.50 → 1.5, 1e21 → 1e+21
//	true             true
//	false, null      the empty string
//	object           one variable per member, the key appended after "_"
//	array            one variable per element, the index appended after "_"
//	empty {} or []   nothing
//
// Keys are used verbatim: no character is replaced or case-changed, so a
// config key "my-port" gives npm_package_config_my-port (a name /bin/sh
// cannot expand, and which dash drops from the environment it passes on).
// Members are visited in JavaScript's property order (array-index keys
// first, in numeric order; a repeated key keeps its first position and its
// last value), and when two paths flatten to one name the later one wins:
// {"a_b": 1, "a": {"b": 2}} gives npm_package_config_a_b=2.
//
// Where npm would build something that is not one environment entry, nrun
// leaves the variable out instead: a key containing "=" (the OS would read
// the entry under another, possibly duplicated, name) and a NUL byte in a key
// or a value (npm's spawn fails on it and the script does not run).

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// packageFields are the package.json fields npm flattens, in npm's order.
var packageFields = [...]string{"name", "version", "config", "engines"} // then bin

// maxBinDirEntries bounds the walk of "directories.bin". npm globs the whole
// tree; nrun stops here so that a mistake such as "directories": {"bin": "."}
// in a big repository cannot make every start slow.
const maxBinDirEntries = 10000

// NpmVars returns the npm_package_* variables `npm run` sets for the
// package (npm_package_json aside), as NAME=value entries in the order npm
// assigns them: where a name occurs twice, the later entry is npm's value.
func (p *Package) NpmVars() []string {
	return packageVars(fieldSource{Dir: p.Dir, Field: p.Field})
}

// fieldSource is what the flattening reads: the package directory (for
// directories.bin) and the raw top-level fields.
type fieldSource struct {
	Dir   string
	Field func(key string) (raw string, ok bool)
}

func packageVars(pkg fieldSource) []string {
	if pkg.Field == nil {
		return nil
	}
	w := varWriter{name: make([]byte, 0, 64), out: make([]string, 0, 16)}
	for _, f := range packageFields {
		if raw, ok := pkg.Field(f); ok {
			w.name = append(append(w.name[:0], "npm_package_"...), f...)
			w.value(gjson.Parse(raw))
		}
	}
	if bins := normalizeBin(pkg); bins != nil {
		for _, k := range bins.keys {
			// A key removed and added again is listed twice; emit it once.
			if v, ok := bins.vals[k]; ok && v.str {
				w.name = append(append(w.name[:0], "npm_package_bin_"...), k...)
				w.emit(v.s)
				bins.remove(k)
			}
		}
	}
	return w.out
}

// varWriter flattens JSON values into variables named after their path.
type varWriter struct {
	name []byte   // the name of the variable being built
	out  []string // NAME=value entries
}

// value flattens v under the current name.
func (w *varWriter) value(v gjson.Result) {
	switch v.Type {
	case gjson.Null, gjson.False:
		w.emit("")
	case gjson.True:
		w.emit("true")
	case gjson.Number:
		w.emit(jsNumber(v.Raw))
	case gjson.String:
		w.emit(jsString(v.Raw))
	case gjson.JSON:
		n := len(w.name)
		if v.IsArray() {
			i := 0
			v.ForEach(func(_, e gjson.Result) bool {
				w.name = strconv.AppendInt(append(w.name[:n], '_'), int64(i), 10)
				w.value(e)
				i++
				return true
			})
		} else {
			for _, m := range jsMembers(v) {
				w.name = append(append(w.name[:n], '_'), m.key...)
				w.value(m.val)
			}
		}
		w.name = w.name[:n]
	}
}

// emit adds the current name with value, unless the pair cannot be one
// environment entry.
func (w *varWriter) emit(value string) {
	name := w.name
	for _, c := range name {
		if c == '=' || c == 0 {
			return
		}
	}
	if strings.IndexByte(value, 0) >= 0 {
		return
	}
	w.out = append(w.out, string(name)+"="+value)
}

// member is one key of a JSON object, decoded as JSON.parse decodes it.
type member = keyed[gjson.Result]

// keyed is a decoded key with a value of any representation.
type keyed[V any] struct {
	key string
	val V
}

// jsMembers returns the members of obj in the order Object.entries gives
// them for JSON.parse's result: array-index keys first in numeric order,
// then the others in the order they first appear; a repeated key keeps its
// first position and takes its last value.
func jsMembers(obj gjson.Result) []member {
	var l memberList[gjson.Result]
	obj.ForEach(func(k, v gjson.Result) bool {
		l.add(jsString(k.Raw), v)
		return true
	})
	return l.done()
}

// memberList collects an object's members as JSON.parse keeps them; see
// jsMembers.
type memberList[V any] struct {
	ms   []keyed[V]
	pos  []int32 // an open-addressed set of indices+1 into ms, hashed by key, once ms is long enough to need it
	ints bool
}

func (l *memberList[V]) add(key string, v V) {
	const linearMax = 16
	if l.pos != nil {
		if j := l.find(key); j >= 0 {
			l.ms[j].val = v
			return
		}
	} else {
		for j := range l.ms {
			if l.ms[j].key == key {
				l.ms[j].val = v
				return
			}
		}
	}
	if l.ms == nil {
		l.ms = make([]keyed[V], 0, 8)
	}
	l.ms = append(l.ms, keyed[V]{key, v})
	switch {
	case l.pos != nil && 2*len(l.ms) <= len(l.pos):
		l.insert(len(l.ms) - 1)
	case len(l.ms) > linearMax:
		// At most half full, and sized for every member when the caller
		// said how many may come (the capacity of ms). A table of indices
		// is an eighth of a map[string]int of the same size: a thousand
		// scripts are otherwise most of what a start allocates.
		n := 64
		for n < 2*max(len(l.ms), cap(l.ms)) {
			n *= 2
		}
		l.pos = make([]int32, n)
		for j := range l.ms {
			l.insert(j)
		}
	}
	if _, ok := arrayIndex(key); ok {
		l.ints = true
	}
}

// find returns the index in ms of key, or -1.
func (l *memberList[V]) find(key string) int {
	mask := len(l.pos) - 1
	for h := keyHash(key) & mask; l.pos[h] != 0; h = (h + 1) & mask {
		if j := int(l.pos[h]) - 1; l.ms[j].key == key {
			return j
		}
	}
	return -1
}

// insert adds ms[j], whose key is not in the table yet.
func (l *memberList[V]) insert(j int) {
	mask := len(l.pos) - 1
	h := keyHash(l.ms[j].key) & mask
	for l.pos[h] != 0 {
		h = (h + 1) & mask
	}
	l.pos[h] = int32(j + 1)
}

// keyHash is FNV-1a: keys are short, and their order in the table is
// never seen.
func keyHash(s string) int {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return int(h >> 1)
}

func (l *memberList[V]) done() []keyed[V] {
	if l.ints {
		sortIndexKeysFirst(l.ms, func(m keyed[V]) string { return m.key })
	}
	if l.ms == nil {
		return make([]keyed[V], 0)
	}
	return l.ms
}

// sortIndexKeysFirst moves array-index keys to the front in numeric order,
// leaving the other keys in insertion order, as JavaScript orders own keys.
func sortIndexKeysFirst[T any](list []T, key func(T) string) {
	slices.SortStableFunc(list, func(a, b T) int {
		ai, aok := arrayIndex(key(a))
		bi, bok := arrayIndex(key(b))
		switch {
		case aok && bok:
			if ai < bi {
				return -1
			}
			if ai > bi {
				return 1
			}
			return 0
		case aok:
			return -1
		case bok:
			return 1
		}
		return 0
	})
}

// normalizeBin returns "bin" as npm's normalisation leaves it (the
// normalizePackageBin and "directories.bin" steps of @npmcli/package-json):
// every key a plain file name, every value a cleaned relative path.
//
//   - "bin" a string: keyed by the package name without its scope
//     ({"name": "@s/tool", "bin": "./cli.js"} gives tool=cli.js); no name, no bin.
//   - "bin" an array: each path keyed by its base name.
//   - "bin" an object: each key cut to its base name, each value cleaned:
//     "\" and ":" become "/", "." and ".." are resolved without leaving the
//     package ("../../x" is "x"), repeated "/" collapse, a leading "./" or "/"
//     goes; a trailing "/" stays. Non-string values and entries whose key or
//     path comes out empty are dropped.
//   - no "bin" (or a false one: "", 0, false, null) and a string
//     "directories.bin": every file and directory below that directory.
func normalizeBin(pkg fieldSource) *jsObject {
	raw, ok := pkg.Field("bin")
	bin := gjson.Parse(raw)
	if !ok || !jsTruthy(bin) {
		return binDir(pkg)
	}
	obj := newJSObject()
	switch {
	case bin.Type == gjson.String:
		nameRaw, _ := pkg.Field("name")
		name := gjson.Parse(nameRaw)
		if !jsTruthy(name) {
			return nil
		}
		obj.define(jsToString(name), jsString(bin.Raw), true)
	case bin.IsArray():
		windows := runtime.GOOS == "windows"
		bin.ForEach(func(_, e gjson.Result) bool {
			// npm throws on a non-string element and runs nothing;
			// nrun skips it.
			if e.Type == gjson.String {
				p := jsString(e.Raw)
				obj.assign(nodeBasename(p, windows), p)
			}
			return true
		})
		obj.sortKeys()
	case bin.IsObject():
		for _, m := range jsMembers(bin) {
			if m.val.Type == gjson.String {
				obj.define(m.key, jsString(m.val.Raw), true)
			} else {
				obj.define(m.key, "", false)
			}
		}
	default: // a number or true
		return nil
	}
	// for (const key in bin): keys added on the way are not visited, keys
	// deleted before their turn are skipped, and a visited key sees the
	// value it has by then.
	for _, key := range slices.Clone(obj.keys) {
		v, ok := obj.vals[key]
		if !ok {
			continue
		}
		if !v.str {
			obj.remove(key)
			continue
		}
		base := nodeBasename(secureBinPath(key), false)
		target := secureBinPath(v.s)
		if base == "" || target == "" {
			obj.remove(key)
			continue
		}
		if base != key {
			obj.remove(key)
		}
		obj.assign(base, target)
	}
	return obj
}

// binDir expands "directories.bin" as npm does when "bin" is absent: glob
// "**" below it (dot files, dot directories and the insides of symlinked
// directories left out), each match keyed by its base name, its value
// "<dir>/<path below dir>". npm writes that value from the cleaned directory
// name and a "/", so "./bin/" gives "bin//tool". When two matches share a
// base name, npm's glob order decides; nrun walks breadth first in name
// order, so the deeper or later match wins, as it does in npm for the usual
// shallow-then-deep order.
func binDir(pkg fieldSource) *jsObject {
	raw, ok := pkg.Field("directories")
	dirs := gjson.Parse(raw)
	if !ok || !dirs.IsObject() {
		return nil
	}
	var dir gjson.Result
	for _, m := range jsMembers(dirs) {
		if m.key == "bin" {
			dir = m.val
		}
	}
	// npm fails on a truthy non-string, and runs nothing.
	if dir.Type != gjson.String || !jsTruthy(dir) {
		return nil
	}
	binPath := secureBinPath(jsString(dir.Raw))
	root := filepath.Join(pkg.Dir, filepath.FromSlash(binPath))
	obj := newJSObject()
	queue := []string{""} // directories to read, relative to root, with "/"
	for n := 0; len(queue) > 0 && n < maxBinDirEntries; {
		rel := queue[0]
		queue = queue[1:]
		entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			continue
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			if n++; n > maxBinDirEntries {
				break
			}
			p := rel + name
			obj.assign(name, binPath+"/"+secureBinPath(p))
			if e.IsDir() {
				queue = append(queue, p+"/")
			}
		}
	}
	return obj
}

// jsObject is a plain JavaScript object, as far as normalizeBin needs one:
// string keys, values that are strings or something else.
type jsObject struct {
	keys []string // in property order (keys removed from vals may linger)
	vals map[string]jsValue
}

type jsValue struct {
	s   string
	str bool // the value is the string s; otherwise not a string
}

func newJSObject() *jsObject { return &jsObject{vals: make(map[string]jsValue, 4)} }

// define creates or replaces a property, as JSON.parse and an object
// literal's computed key do; "__proto__" is an ordinary key here.
func (o *jsObject) define(key, s string, str bool) {
	if _, ok := o.vals[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = jsValue{s, str}
}

// assign is obj[key] = s. Without an own "__proto__" property (one that
// JSON.parse made), assigning "__proto__" sets the prototype instead, a
// no-op for a string.
func (o *jsObject) assign(key, s string) {
	if _, own := o.vals[key]; !own && key == "__proto__" {
		return
	}
	o.define(key, s, true)
}

func (o *jsObject) remove(key string) { delete(o.vals, key) }

// sortKeys puts the keys in JavaScript's property order.
func (o *jsObject) sortKeys() { sortIndexKeysFirst(o.keys, func(k string) string { return k }) }

// secureBinPath is npm's secureAndUnixifyPath: the path made relative to
// the package and never above it, with "/" separators.
func secureBinPath(ref string) string {
	// path.join(".", path.join("/", unixify(ref))), then "" for "./":
	// unixify turns "\" and ":" into "/"; the joins drop empty and "."
	// segments and resolve ".." (never above the root) and keep a trailing
	// "/".
	if cleanBinPath(ref) {
		return ref
	}
	var b []byte
	segs := make([]int, 0, 8) // where each segment of b starts
	trailing := false
	for i := 0; i < len(ref); {
		j := i
		for j < len(ref) && !isBinSep(ref[j]) {
			j++
		}
		switch seg := ref[i:j]; seg {
		case "", ".":
		case "..":
			if n := len(segs); n > 0 {
				b = b[:max(segs[n-1]-1, 0)]
				segs = segs[:n-1]
			}
		default:
			if len(b) > 0 {
				b = append(b, '/')
			}
			segs = append(segs, len(b))
			b = append(b, seg...)
		}
		trailing = j < len(ref)
		i = j + 1
		if trailing && i == len(ref) {
			break
		}
	}
	if len(b) == 0 {
		return ""
	}
	if trailing {
		b = append(b, '/')
	}
	return string(b)
}

func isBinSep(c byte) bool { return c == '/' || c == '\\' || c == ':' }

// cleanBinPath reports whether secureBinPath leaves ref as it is: segments
// of other than "." and ".." joined by single "/", no "\\" or ":", no
// leading "/"; a trailing "/" is fine.
func cleanBinPath(ref string) bool {
	if ref == "" || ref[0] == '/' {
		return false
	}
	start := 0
	for i := 0; i <= len(ref); i++ {
		if i < len(ref) && ref[i] != '/' {
			if ref[i] == '\\' || ref[i] == ':' {
				return false
			}
			continue
		}
		switch ref[start:i] {
		case "":
			if i < len(ref) { // "//"
				return false
			}
		case ".", "..":
			return false
		}
		start = i + 1
	}
	return true
}

// nodeBasename is Node's path.basename (path.win32's when windows is set).
func nodeBasename(p string, windows bool) string {
	if windows && len(p) >= 2 && p[1] == ':' && (p[0]|0x20 >= 'a' && p[0]|0x20 <= 'z') {
		p = p[2:]
	}
	sep := func(c byte) bool { return c == '/' || windows && c == '\\' }
	end := len(p)
	for end > 0 && sep(p[end-1]) {
		end--
	}
	start := end
	for start > 0 && !sep(p[start-1]) {
		start--
	}
	return p[start:end]
}

// jsTruthy is JavaScript's truthiness of a JSON value; an absent value is
// false.
func jsTruthy(v gjson.Result) bool {
	switch v.Type {
	case gjson.True, gjson.JSON:
		return true
	case gjson.String:
		return v.Raw != `""`
	case gjson.Number:
		f, _ := strconv.ParseFloat(v.Raw, 64)
		return f != 0
	}
	return false
}

// jsToString is JavaScript's String(v) for a JSON value.
func jsToString(v gjson.Result) string {
	switch v.Type {
	case gjson.String:
		return jsString(v.Raw)
	case gjson.Number:
		return jsNumber(v.Raw)
	case gjson.True:
		return "true"
	case gjson.False:
		return "false"
	case gjson.Null:
		return "null"
	}
	if !v.IsArray() {
		return "[object Object]"
	}
	// Array.prototype.join: null and undefined elements become "".
	var b strings.Builder
	i := 0
	v.ForEach(func(_, e gjson.Result) bool {
		if i > 0 {
			b.WriteByte(',')
		}
		if e.Type != gjson.Null {
			b.WriteString(jsToString(e))
		}
		i++
		return true
	})
	return b.String()
}

// jsNumber is JavaScript's String(n) for a JSON number token: the shortest
// digits that read back as the same double, in plain notation from 1e-7 to
// 1e21 and as d.ddde±x outside it; -0 is "0", overflow is "Infinity".
func jsNumber(raw string) string {
	f, _ := strconv.ParseFloat(raw, 64) // ±Inf on overflow, as in JavaScript
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	var b []byte
	if f < 0 {
		b = append(b, '-')
		f = -f
	}
	// d.ddddde±xx → digits and the decimal exponent n, with f = 0.digits × 10^n.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	n, k := x+1, len(digits)
	switch {
	case k <= n && n <= 21:
		b = append(b, digits...)
		for range n - k {
			b = append(b, '0')
		}
	case 0 < n && n <= 21:
		b = append(append(append(b, digits[:n]...), '.'), digits[n:]...)
	case -6 < n && n <= 0:
		b = append(b, "0."...)
		for range -n {
			b = append(b, '0')
		}
		b = append(b, digits...)
	default:
		b = append(b, digits[0])
		if k > 1 {
			b = append(append(b, '.'), digits[1:]...)
		}
		b = append(b, 'e')
		if n-1 >= 0 {
			b = append(b, '+')
		}
		b = strconv.AppendInt(b, int64(n-1), 10)
	}
	return string(b)
}
