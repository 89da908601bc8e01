package minimatch

import (
	"path"
	"strings"
)

// Options change how a Pattern matches; the zero value is minimatch's
// default.
type Options struct {
	// Dot lets wildcards match parts that start with ".".
	Dot bool
	// Partial makes a path match when it is a leading part of a path the
	// pattern could match: a directory the pattern may reach.
	Partial bool
	// NoNegate takes a leading "!" as an ordinary character.
	NoNegate bool
}

// Pattern is a compiled pattern; it is safe for concurrent use.
type Pattern struct {
	alts    [][]seg // one per brace alternative
	opt     Options
	negate  bool
	comment bool // "#…" matches nothing
	empty   bool // "" matches only ""
}

type segKind uint8

const (
	segLiteral segKind = iota
	segMagic
	segGlobstar
)

// seg is one slash-separated part of a pattern.
type seg struct {
	kind segKind
	text string // the literal, or a path.Match pattern
}

// Compile compiles pattern; every string is a valid pattern.
func Compile(pattern string, opt Options) Pattern {
	p := Pattern{opt: opt}
	pattern = slashes(pattern)
	if strings.HasPrefix(pattern, "#") {
		p.comment = true
		return p
	}
	if !opt.NoNegate {
		n := len(pattern) - len(strings.TrimLeft(pattern, "!"))
		p.negate = n%2 == 1
		pattern = pattern[n:]
	}
	if pattern == "" {
		p.empty = true
		return p
	}
	for _, alt := range ExpandBraces(pattern) {
		p.alts = append(p.alts, compileSegs(levelOne(slashSplit(alt))))
	}
	return p
}

// Match reports whether file matches pattern; for one pattern and many
// files, Compile once instead.
func Match(pattern, file string, opt Options) bool {
	return Compile(pattern, opt).Match(file)
}

// Match reports whether file, a slash-separated path, matches p.
func (p Pattern) Match(file string) bool {
	switch {
	case p.comment:
		return false
	case p.empty:
		return file == ""
	}
	if file == "/" && p.opt.Partial {
		return !p.negate
	}
	f := slashSplit(slashes(file))
	for _, alt := range p.alts {
		if matchSegs(f, alt, p.opt.Partial, p.opt.Dot) {
			return !p.negate
		}
	}
	return p.negate
}

// slashes turns backslashes into slashes, as npm does before matching.
func slashes(p string) string { return strings.ReplaceAll(p, `\`, "/") }

// slashSplit splits on runs of slashes, as minimatch does.
func slashSplit(p string) []string {
	parts := strings.Split(p, "/")
	out := parts[:0]
	for i, s := range parts {
		// Drop the empty parts between slashes, keeping a leading and a
		// trailing one.
		if s == "" && i > 0 && i < len(parts)-1 {
			continue
		}
		out = append(out, s)
	}
	return out
}

// levelOne is minimatch's default optimisation: adjacent ** become one, and
// "x/.." disappears when x is a plain part.
func levelOne(parts []string) []string {
	var out []string
	for _, s := range parts {
		var prev string
		if len(out) > 0 {
			prev = out[len(out)-1]
		}
		if s == "**" && prev == "**" {
			continue
		}
		if s == ".." && prev != "" && prev != ".." && prev != "." && prev != "**" {
			out = out[:len(out)-1]
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

func compileSegs(parts []string) []seg {
	segs := make([]seg, len(parts))
	for i, s := range parts {
		segs[i] = compileSeg(s)
	}
	return segs
}

func compileSeg(s string) seg {
	if s == "**" {
		return seg{kind: segGlobstar}
	}
	if !strings.ContainsAny(s, "*?[") {
		return seg{kind: segLiteral, text: s}
	}
	// path.Match negates a class with "^"; minimatch also takes "!".
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == '[' && i+1 < len(s) && s[i+1] == '!' {
			b.WriteByte('^')
			i++
		}
	}
	pat := b.String()
	if _, err := path.Match(pat, ""); err != nil {
		// An unclosed "[" is a literal character to minimatch.
		pat = strings.NewReplacer("[", `\[`, "]", `\]`).Replace(s)
	}
	return seg{kind: segMagic, text: pat}
}

// matchPart matches one path part against one part that is not "**".
func matchPart(s seg, name string, dot bool) bool {
	if s.kind == segLiteral {
		return s.text == name
	}
	if name == "." || name == ".." || name == "" {
		return false
	}
	if name[0] == '.' && !dot && !strings.HasPrefix(s.text, ".") {
		return false
	}
	ok, _ := path.Match(s.text, name)
	return ok
}

// badDot is what ** may not swallow.
func badDot(f string, dot bool) bool {
	return f == "." || f == ".." || (!dot && strings.HasPrefix(f, "."))
}

// matchSegs is minimatch's matchOne.
func matchSegs(file []string, pat []seg, partial, dot bool) bool {
	fi, pi := 0, 0
	for fi < len(file) && pi < len(pat) {
		p := pat[pi]
		if p.kind == segGlobstar {
			rest := pat[pi+1:]
			if len(rest) == 0 {
				// A trailing ** swallows the rest, which must not be
				// empty, nor hold a dot part.
				for _, f := range file[fi:] {
					if badDot(f, dot) {
						return false
					}
				}
				return true
			}
			for fr := fi; fr < len(file); fr++ {
				if matchSegs(file[fr:], rest, partial, dot) {
					return true
				}
				if badDot(file[fr], dot) {
					return false
				}
			}
			return partial
		}
		if !matchPart(p, file[fi], dot) {
			return false
		}
		fi++
		pi++
	}
	switch {
	case fi == len(file) && pi == len(pat):
		return true
	case fi == len(file):
		return partial
	default: // pattern used up: only a trailing slash may remain
		return fi == len(file)-1 && file[fi] == ""
	}
}
