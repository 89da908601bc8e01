package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/nrunjs/nrun/pkgjson"
)

// listEntry is one row of the listing: hooks sit indented under the script
// they belong to.
type listEntry struct {
	name, command string
	hook          bool
}

// list prints name@version, then every script and its command, aligned,
// in package.json order, with pre and post hooks under their script.
func list(w io.Writer, pkg *pkgjson.Package, color bool) error {
	entries := listEntries(pkg)
	width := 0
	for _, e := range entries {
		width = max(width, indent(e)+utf8.RuneCountInString(e.name))
	}
	var b strings.Builder
	b.WriteString(header(pkg))
	b.WriteByte('\n')
	if len(entries) == 0 {
		b.WriteString("  (no scripts)\n")
	}
	for _, e := range entries {
		pad := width - indent(e) - utf8.RuneCountInString(e.name)
		name := e.name
		if color {
			name = "\x1b[1m" + name + "\x1b[0m"
			if e.hook {
				name = "\x1b[2m" + e.name + "\x1b[0m"
			}
		}
		fmt.Fprintf(&b, "%*s%s%*s  %s\n", indent(e), "", name, pad, "", oneLine(e.command))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func indent(e listEntry) int {
	if e.hook {
		return 4
	}
	return 2
}

func header(pkg *pkgjson.Package) string {
	switch {
	case pkg.Name != "" && pkg.Version != "":
		return pkg.Name + "@" + pkg.Version
	case pkg.Name != "":
		return pkg.Name
	}
	return pkg.Path
}

// listEntries orders the scripts for listing: a pre or post hook whose
// script exists follows that script; every other script keeps its place.
func listEntries(pkg *pkgjson.Package) []listEntry {
	isHook := func(name string) bool {
		for _, prefix := range []string{"pre", "post"} {
			if base, ok := strings.CutPrefix(name, prefix); ok && base != "" {
				if _, ok := pkg.Script(base); ok {
					return true
				}
			}
		}
		return false
	}
	var out []listEntry
	for _, s := range pkg.Scripts {
		if isHook(s.Name) {
			continue
		}
		out = append(out, listEntry{name: s.Name, command: s.Command})
		for _, prefix := range []string{"pre", "post"} {
			if cmd, ok := pkg.Script(prefix + s.Name); ok {
				out = append(out, listEntry{name: prefix + s.Name, command: cmd, hook: true})
			}
		}
	}
	return out
}

// oneLine keeps a multi-line command (or variable) on its row.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", `\n`, "\n", `\n`, "\r", `\r`).Replace(s)
}

// listJSON prints the scripts object, in package.json order.
func listJSON(w io.Writer, pkg *pkgjson.Package) error {
	var b bytes.Buffer
	b.WriteString("{")
	for i, s := range pkg.Scripts {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  ")
		writeJSONString(&b, s.Name)
		b.WriteString(": ")
		writeJSONString(&b, s.Command)
	}
	if len(pkg.Scripts) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	_, err := w.Write(b.Bytes())
	return err
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode's newline
}

// isTerminal reports whether w is a terminal: asked of the terminal
// driver, since /dev/null is a character device too.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminalFd(f.Fd())
}

// colorOn follows the NO_COLOR and FORCE_COLOR conventions, else colours
// only a terminal.
func colorOn(w io.Writer) bool {
	if v, ok := os.LookupEnv("FORCE_COLOR"); ok {
		return v != "0" && v != "false"
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	return isTerminal(w) && os.Getenv("TERM") != "dumb"
}
