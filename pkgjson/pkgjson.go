// Package pkgjson finds and reads package.json the way npm does, without Node.
//
// nrun must start in about a millisecond, so the file is read once and
// walked once: that walk validates it and records the top-level members and
// the scripts. Only the small values read later (config, engines, bin,
// workspaces) are decoded again, with gjson, which scans without
// reflection; encoding/json runs only after the walk has rejected the file,
// to say where the syntax error is.
//
// Values follow JSON.parse, because npm hands the result of JSON.parse to the
// shell: the last of duplicate keys wins, scripts keep JavaScript's property
// order, \u escapes are decoded, and invalid UTF-8 becomes U+FFFD exactly as
// Node's UTF-8 decoder replaces it.
package pkgjson

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
	"unsafe"
)

const (
	// maxSize bounds what Load reads. Real package.json files are kilobytes;
	// the limit only keeps a mistake (a log or a dump saved under that name)
	// from eating memory and time.
	maxSize = 64 << 20

	// maxDepth bounds the nesting of arrays and objects. The scan does not
	// recurse, but the values read later go through gjson, which does, and
	// unbounded nesting could exhaust the goroutine stack, a fatal error
	// rather than a panic. 10000 is also encoding/json's own
	// limit, so the error path never disagrees with the success path; real
	// files nest a handful of levels.
	maxDepth = 10000

	fileName = "package.json"
	bom      = "\xEF\xBB\xBF"
)

// Where Load maps files (Linux, macOS, FreeBSD), these decide which. They
// are variables, not constants, so that the tests can map small and new
// files.
var (
	// mapMin is the size from which Load maps package.json instead of
	// reading it. Reading copies the file into memory the process must
	// first be given, page by page; a mapping shares the pages the kernel
	// already caches. Below a few pages the mapping's own system calls cost
	// more than the copy.
	mapMin int64 = 64 << 10

	// settled is how long a file must have gone unchanged before it is
	// mapped. Change times have the granularity of the file system (a
	// kernel tick, or a whole second on some); a file changed that
	// recently could change again without its change time moving, while
	// mapped, which would go unnoticed. Older files get a new change time
	// from any write, and Load reads a file that changed while mapped again.
	settled = 2 * time.Second
)

// ErrNotFound is wrapped by the error Find returns when no directory from
// the start up to the root holds a package.json.
var ErrNotFound = errors.New("no package.json")

// Error is every error Load returns: the file exists (or was named) but
// cannot be used. Callers need only tell it apart from ErrNotFound.
type Error struct {
	Path string // absolute path of the package.json
	Msg  string // the whole one-line message; it names Path
	Err  error  // the underlying cause, if any
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// Package is a loaded package.json.
type Package struct {
	Path string // absolute path of package.json
	Dir  string // its directory

	// Name and Version are "" when absent. A value that is not a JSON string
	// also counts as absent rather than failing the load: npm runs scripts
	// regardless (npm 11 puts a number into npm_package_name as text and
	// drops other types). Field gives the raw value to whoever needs more.
	Name    string
	Version string

	// Scripts in the order Object.keys(JSON.parse(text).scripts) gives:
	// array-index keys ("0" to "4294967294" written canonically) first in
	// numeric order, then the others in the order they first appear.
	Scripts []Script

	// fields holds the kept top-level keys (see Field) with their raw
	// values, in file order, so later consumers (config, engines, bin,
	// workspaces) need not walk the file again.
	fields []field
}

// Script is one entry of the "scripts" object.
type Script struct{ Name, Command string }

type field struct{ key, raw string }

// Script returns the command of the named script.
func (p *Package) Script(name string) (string, bool) {
	for _, s := range p.Scripts {
		if s.Name == name {
			return s.Command, true
		}
	}
	return "", false
}

// Field returns the raw JSON text of a top-level key nrun reads beyond the
// name, version and scripts: "config", "engines", "bin", "directories",
// "workspaces" and the four dependency fields (also "name" and "version").
// Other keys, and "scripts", are checked but not kept: ok is false for them.
// The key is matched after unescaping; when it is duplicated, the last
// occurrence wins, as in JSON.parse. Strings keep their quotes and escapes,
// exactly as written in the file.
func (p *Package) Field(key string) (raw string, ok bool) {
	for i := len(p.fields) - 1; i >= 0; i-- {
		if p.fields[i].key == key {
			return p.fields[i].raw, true
		}
	}
	return "", false
}

// Find returns the path of the nearest package.json in dir or any parent.
//
// Only regular files (or symlinks to them) count: like npm's prefix lookup, a
// directory or a dangling symlink named package.json is passed over. A
// relative dir is resolved against the physical working directory (getcwd,
// not $PWD), because npm starts from process.cwd(), which is physical; under
// a symlinked directory the two can lead to different packages.
func Find(dir string) (string, error) {
	start, err := Abs(dir)
	if err != nil {
		return "", fmt.Errorf("cannot resolve %s: %w", dir, err)
	}
	for d := start; ; {
		p := filepath.Join(d, fileName)
		fi, err := os.Stat(p)
		switch {
		case err == nil:
			if fi.Mode().IsRegular() {
				return p, nil
			}
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		default:
			// Unlike npm, which treats every stat error as "not here", stop:
			// silently running a parent package's script because the nearest
			// one could not be checked would be worse than an error.
			return "", fmt.Errorf("cannot check %s: %w", p, errCause(err))
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("%w in %s or any parent", ErrNotFound, start)
		}
		d = parent
	}
}

// Load reads and checks one package.json.
func Load(path string) (*Package, error) {
	abs, err := Abs(path)
	if err != nil {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("cannot resolve %s: %v", path, err), Err: err}
	}
	f, err := openRegular(abs)
	if err != nil {
		return nil, err
	}
	defer f.close()
	if p, ok, err := loadMapped(abs, f); ok {
		return p, err
	}
	data, err := readAll(abs, f)
	if err != nil {
		return nil, err
	}
	return build(abs, data)
}

// kept are the top-level keys a Package keeps (see Field): those nrun
// reads besides the scripts, which are in Scripts. The others are checked
// and dropped, so that a big "description" or "readme" costs only the walk
// over it.
var kept = [...]string{
	"name", "version", "config", "engines", "bin", "directories", "workspaces",
	"dependencies", "devDependencies", "optionalDependencies", "peerDependencies",
}

// build checks a package.json's bytes and makes its Package, whose
// strings share data's memory.
func build(abs string, data []byte) (*Package, error) {
	r := scanned{fields: make([]field, 0, 32), scripts: make([]rawMember, 0, 32)}
	data, err := parseObject(abs, data, &r)
	if err != nil {
		return nil, err
	}
	p := &Package{Path: abs, Dir: filepath.Dir(abs), fields: r.fields}
	p.Name = p.stringField("name")
	p.Version = p.stringField("version")
	if raw, ok := p.Field("scripts"); ok {
		var err error
		if p.Scripts, err = loadScripts(abs, raw, recordedMembers(bytesToString(data), r.scripts, p.lastField("scripts"))); err != nil {
			return nil, err
		}
	}
	// Only now, as the scripts' members point at fields by index.
	p.fields = slices.DeleteFunc(p.fields, func(f field) bool { return !slices.Contains(kept[:], f.key) })
	return p, nil
}

// detach gives p its own copy of every string it keeps, in one block, so
// that the bytes it was built from can go.
func (p *Package) detach() {
	n := len(p.Name) + len(p.Version)
	for _, s := range p.Scripts {
		n += len(s.Name) + len(s.Command)
	}
	for _, f := range p.fields {
		n += len(f.key) + len(f.raw)
	}
	block := make([]byte, 0, n)
	own := func(s string) string {
		start := len(block)
		block = append(block, s...) // within the capacity: never moves
		return bytesToString(block[start:])
	}
	p.Name, p.Version = own(p.Name), own(p.Version)
	for i := range p.Scripts {
		p.Scripts[i] = Script{Name: own(p.Scripts[i].Name), Command: own(p.Scripts[i].Command)}
	}
	for i := range p.fields {
		p.fields[i] = field{key: own(p.fields[i].key), raw: own(p.fields[i].raw)}
	}
}

// stringField decodes a top-level string; any other value counts as "".
func (p *Package) stringField(key string) string {
	if raw, ok := p.Field(key); ok && raw[0] == '"' {
		return jsString(raw)
	}
	return ""
}

// lastField is the index in fields of key's last occurrence, or -1.
func (p *Package) lastField(key string) int {
	for i := len(p.fields) - 1; i >= 0; i-- {
		if p.fields[i].key == key {
			return i
		}
	}
	return -1
}

// loadScripts turns the members of the winning "scripts" field (raw value
// raw; see recordedMembers) into Scripts.
func loadScripts(path, raw string, ms []keyed[string]) ([]Script, error) {
	if raw[0] != '{' {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("%q in %s must be an object", "scripts", path)}
	}
	list := make([]Script, len(ms))
	for i, m := range ms {
		// Only the winning value of a duplicated key has to be a string, as
		// only it survives JSON.parse.
		if m.val[0] != '"' {
			return nil, &Error{Path: path, Msg: fmt.Sprintf(
				"script %q in %s must be a string, not %s", m.key, path, typeName(m.val))}
		}
		list[i] = Script{Name: m.key, Command: jsString(m.val)}
	}
	return list, nil
}

// recordedMembers are the members of field's object among those the scan
// recorded, as JSON.parse keeps them (see jsMembers).
func recordedMembers(text string, recorded []rawMember, field int) []keyed[string] {
	l := memberList[string]{ms: make([]keyed[string], 0, len(recorded))}
	for _, m := range recorded {
		if int(m.field) == field {
			l.add(jsString(m.key(text)), m.val(text))
		}
	}
	return l.done()
}

// arrayIndex reports whether s is a JavaScript array index: the canonical
// decimal form of an integer from 0 to 2^32-2.
func arrayIndex(s string) (uint32, bool) {
	if len(s) == 0 || len(s) > 10 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n > 1<<32-2 {
		return 0, false
	}
	return uint32(n), true
}

// typeName names the JSON type of a raw, valid, non-empty value.
func typeName(raw string) string {
	switch raw[0] {
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	case '"':
		return "a string"
	case '[':
		return "an array"
	case '{':
		return "an object"
	}
	return "a number"
}

// bytesToString shares data's memory instead of copying it: package.json
// may be megabytes, and the copy was a sixth of Load's time. It is safe
// because Load owns data and never writes to it after this call.
func bytesToString(data []byte) string {
	return unsafe.String(unsafe.SliceData(data), len(data))
}

func bomPrefix(data []byte) []byte {
	if len(data) >= len(bom) && string(data[:len(bom)]) == bom {
		return data[:len(bom)]
	}
	return nil
}

// ReadFile reads path whole, as Load reads package.json: only a regular
// file of at most 64 MiB, checked before reading so that a FIFO cannot block
// nrun and a huge file is never read. Errors are *Error; a missing file's
// wraps fs.ErrNotExist. Other files of a project (pnpm-workspace.yaml) are
// read with it too.
func ReadFile(path string) ([]byte, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.close()
	return readAll(path, f)
}

// checkRegular says why a file of that kind and size is not one ReadFile
// may read, or nil.
func checkRegular(path string, isDir, isRegular bool, size int64) error {
	switch {
	case isDir:
		return &Error{Path: path, Msg: path + " is a directory"}
	case !isRegular:
		return &Error{Path: path, Msg: path + " is not a regular file"}
	case size > maxSize:
		return tooLarge(path, size)
	}
	return nil
}

// readAll reads the file openRegular opened at path.
func readAll(path string, f *regularFile) ([]byte, error) {
	// One spare byte lets the read loop see EOF without growing the buffer.
	buf := make([]byte, 0, max(f.size()+1, 512))
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.read(buf[len(buf):min(cap(buf), maxSize+1)])
		buf = buf[:len(buf)+n]
		if len(buf) > maxSize { // the file grew after it was checked
			return nil, tooLarge(path, int64(len(buf)))
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, readError(path, err)
		}
	}
}

func tooLarge(path string, size int64) error {
	return &Error{Path: path, Msg: fmt.Sprintf("%s is too large (%d bytes; the limit is %d MiB)", path, size, maxSize>>20)}
}

func readError(path string, err error) error {
	return &Error{Path: path, Msg: fmt.Sprintf("cannot read %s: %v", path, errCause(err)), Err: err}
}

// errCause drops the *fs.PathError wrapper, whose text would repeat the path
// the message already names.
func errCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// syntaxError builds the error for a file the scan rejected. encoding/json is
// used only here, for its byte offset and its wording.
func syntaxError(path string, data []byte) error {
	err := json.Unmarshal(data, new(json.RawMessage))
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		// The two parsers disagree; the scan's verdict stands.
		return &Error{Path: path, Msg: "invalid JSON in " + path, Err: err}
	}
	// Offset counts the bytes read including the offending one, so the
	// error is at Offset-1, or at the end for a truncated file.
	reason := se.Error()
	off := int(se.Offset) - 1
	if strings.HasPrefix(reason, "unexpected end") {
		off = len(data)
	}
	line, col := lineCol(data, max(off, 0))
	return &Error{Path: path, Msg: fmt.Sprintf("invalid JSON in %s at line %d, column %d: %s", path, line, col, reason), Err: se}
}

// lineCol turns a byte offset into a 1-based line and a 1-based column
// counted in characters, which is what editors show.
func lineCol(data []byte, off int) (line, col int) {
	off = min(off, len(data))
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if data[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, utf8.RuneCount(data[start:off]) + 1
}

// parseObject checks a package.json's bytes — a BOM first, as npm strips
// it; one JSON object; nesting within maxDepth — and fills r with its
// members in the same pass. It returns the bytes after the BOM, which r's
// offsets count from.
func parseObject(path string, data []byte, r *scanned) ([]byte, error) {
	data = data[len(bomPrefix(data)):]
	ok, deep := scanJSON(data, r)
	if deep >= 0 {
		line, col := lineCol(data, deep)
		return nil, &Error{Path: path, Msg: fmt.Sprintf(
			"%s nests arrays and objects deeper than %d levels (line %d, column %d)", path, maxDepth, line, col)}
	}
	if !ok {
		return nil, syntaxError(path, data)
	}
	if top := data[skipSpace(data, 0):]; top[0] != '{' {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("top level of %s must be an object, not %s", path, typeName(bytesToString(top)))}
	}
	return data, nil
}

// jsString decodes a raw JSON string token (quotes included, already
// validated) to the string JSON.parse would produce, written as UTF-8: lone
// surrogates and invalid UTF-8 become U+FFFD, which is what Node writes when
// such a string reaches an environment variable or the shell.
func jsString(raw string) string {
	s := raw[1 : len(raw)-1]
	if strings.IndexByte(s, '\\') < 0 && utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for {
		i := strings.IndexByte(s, '\\')
		if i < 0 {
			return string(appendReplacingInvalid(b, s))
		}
		b = appendReplacingInvalid(b, s[:i])
		s = s[i+1:]
		c := s[0]
		s = s[1:]
		switch c {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r := hex4(s)
			s = s[4:]
			if r >= 0xD800 && r < 0xDC00 && len(s) >= 6 && s[0] == '\\' && s[1] == 'u' {
				if lo := hex4(s[2:]); lo >= 0xDC00 && lo < 0xE000 {
					r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
					s = s[6:]
				}
			}
			// utf8.AppendRune writes U+FFFD for a surrogate left alone.
			b = utf8.AppendRune(b, r)
		default: // '"', '\\', '/'
			b = append(b, c)
		}
	}
}

func hex4(s string) rune {
	n, _ := strconv.ParseUint(s[:4], 16, 32)
	return rune(n)
}

// appendReplacingInvalid appends s, replacing each maximal ill-formed
// subsequence with one U+FFFD, as the WHATWG UTF-8 decoder (and so Node's
// fs.readFileSync(path, "utf8"), which npm uses) does. Go's own conversions
// replace byte by byte or run by run, which differs.
func appendReplacingInvalid(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		need, lo, hi := 0, byte(0x80), byte(0xBF)
		switch {
		case c >= 0xC2 && c <= 0xDF:
			need = 1
		case c == 0xE0:
			need, lo = 2, 0xA0
		case c == 0xED:
			need, hi = 2, 0x9F
		case c >= 0xE1 && c <= 0xEF:
			need = 2
		case c == 0xF0:
			need, lo = 3, 0x90
		case c == 0xF4:
			need, hi = 3, 0x8F
		case c >= 0xF1 && c <= 0xF3:
			need = 3
		}
		j := i + 1
		for ; need > 0; need-- {
			if j >= len(s) || s[j] < lo || s[j] > hi {
				break
			}
			lo, hi = 0x80, 0xBF
			j++
		}
		if need > 0 || j == i+1 {
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:j]...)
		}
		i = j
	}
	return b
}

// Abs makes p absolute as Find and Load do. On Unix a relative p is joined
// to getcwd's answer rather than $PWD (which os.Getwd and filepath.Abs
// prefer), because npm's process.cwd() is the physical directory.
func Abs(p string) (string, error) {
	if filepath.IsAbs(p) {
		return filepath.Clean(p), nil
	}
	if runtime.GOOS == "windows" {
		return filepath.Abs(p)
	}
	wd, err := syscall.Getwd()
	if err != nil {
		return "", err
	}
	return filepath.Join(wd, p), nil
}
