package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nrunjs/nrun/internal/lazyre"
	"github.com/nrunjs/nrun/internal/quote"
	"github.com/nrunjs/nrun/shell"
)

// Argument placeholders in the script names of a multi-script run, as
// npm-run-all2 reads them: `nrun --sequential "build -- {1}" -- x` runs
// build with the argument x. {1}, {2}… is one argument, {@} all of them
// as separate words, {*} all of them as one word, {%} the name once per
// argument with {1}, {2}…; {1:-v} has a default, {1:=v} sets one for the
// later {1}s. With any placeholder, the arguments after -- go only where
// they are placed. A name is then a script (or glob) and, after a space,
// the arguments it is run with, read as sh reads words.

// Compiled on first use: most runs have no placeholders.
var (
	placeholderRE = lazyre.Regexp{Expr: `\{(!)?([*@%]|\d+)([^}]+)?}`}
	unpackRE      = lazyre.Regexp{Expr: `\{(!)?(%)([^}]+)?}`}
)

// hasPlaceholders reports whether a name holds one.
func hasPlaceholders(names []string) bool {
	for _, n := range names {
		if placeholderRE.Get().MatchString(n) {
			return true
		}
	}
	return false
}

// applyPlaceholders puts args into the names' placeholders, quoted for sh
// so that each stays one word when the name is split.
func applyPlaceholders(names, args []string) ([]string, error) {
	var unfolded []string
	for _, n := range names {
		if m := unpackRE.Get().FindStringSubmatch(n); m != nil {
			if m[1] != "" || m[3] != "" {
				return nil, fmt.Errorf("invalid placeholder %s in %q", m[0], n)
			}
			for i := range args {
				unfolded = append(unfolded, unpackRE.Get().ReplaceAllString(n, "{"+strconv.Itoa(i+1)+"}"))
			}
			continue
		}
		unfolded = append(unfolded, n)
	}
	defaults := map[string]string{}
	out := make([]string, len(unfolded))
	var bad error
	for i, n := range unfolded {
		out[i] = placeholderRE.Get().ReplaceAllStringFunc(n, func(whole string) string {
			m := placeholderRE.Get().FindStringSubmatch(whole)
			mark, id, opts := m[1], m[2], m[3]
			if mark != "" {
				bad = fmt.Errorf("invalid placeholder %s", whole)
				return ""
			}
			switch id {
			case "@":
				return quote.AppendSh("", args)[min(1, len(args)):]
			case "*":
				return quote.Sh(strings.Join(args, " "))
			}
			if pos, _ := strconv.Atoi(id); pos >= 1 && pos <= len(args) {
				return quote.Sh(args[pos-1])
			}
			switch {
			case strings.HasPrefix(opts, ":="):
				defaults[id] = quote.Sh(opts[2:])
				return defaults[id]
			case strings.HasPrefix(opts, ":-"):
				return quote.Sh(opts[2:])
			case opts != "":
				bad = fmt.Errorf("invalid placeholder %s", whole)
			}
			return defaults[id]
		})
	}
	return out, bad
}

// splitName parts a name into the script (or glob) and the arguments
// after a space, read as sh reads words, with nothing expanded.
func splitName(name string) (string, []string, error) {
	name = strings.TrimSpace(name)
	task, rest, found := strings.Cut(name, " ")
	if !found {
		return task, nil, nil
	}
	p := shell.New("x "+rest, nil, func(string) (string, bool) { return "", false }, nil)
	if len(p.Cmds) != 1 || p.Cmds[0].Kind != shell.Direct || len(p.Cmds[0].Env) > 0 {
		return "", nil, fmt.Errorf("cannot read the arguments of %q as plain words", name)
	}
	return task, p.Cmds[0].Argv[1:], nil
}
