package main

import (
	"strings"
	"time"
)

// helpWidth is the width the help fits in: a terminal's smallest.
const helpWidth = 80

// helpText is `nrun --help`, made from the option table: the forms of the
// command line, the options under their headings with the defaults that
// are real, and a few examples. urfave/cli prints it as its template.
func helpText() string {
	var b strings.Builder
	b.WriteString(`nrun runs package.json scripts the way npm run does, without a wrapper
process: on Unix the script's program replaces nrun.

Usage:
  nrun [options] <script> [args...]     the arguments are the script's
  nrun [options] run <script> [...]     npm's grammar, for $npm_execpath callers
  nrun [options]                        list the scripts
  nrun completion bash|zsh|fish         print a completion script
`)
	for _, g := range groups {
		first := true
		for _, o := range options {
			if o.hidden || optionGroup(o) != g.key {
				continue
			}
			if first {
				b.WriteString("\n" + g.title + ":\n")
				first = false
			}
			writeOptionHelp(&b, o)
		}
		if g.key == "output" {
			writeOptionHelp(&b, option{name: "help", aliases: []string{"h"}, usage: "show this help", field: func(c *config) any { return &c.list }})
		}
	}
	b.WriteString(`
Examples:
  nrun start                            as npm start, the app replacing nrun
  nrun test -- --watch                  one -- after the name is dropped
  nrun -w @acme/api --supervise dev     in a workspace, owning the app's tree

Environment: NRUN_SUPERVISE=1, NRUN_PID_NAMESPACE=1, NRUN_ALLOW_BREAKAWAY=1
stand for their options. See man nrun and the README.
`)
	// The text is urfave/cli's template: nothing in it is template syntax.
	return strings.ReplaceAll(b.String(), "{{", `{{"{{"}}`)
}

// optionGroup is an option's heading; one without is about running.
func optionGroup(o option) string {
	if o.group == "" {
		return "running"
	}
	return o.group
}

// writeOptionHelp writes one option: its spellings and value name in a
// column, its usage wrapped beside them.
func writeOptionHelp(b *strings.Builder, o option) {
	usage, value := unquoteUsage(o.usage)
	if def := optionDefault(o); def != "" {
		usage += " (default " + def + ")"
	}
	var names []string
	for _, a := range o.aliases {
		names = append(names, dashes(a))
	}
	names = append(names, dashes(o.name))
	left := "  " + strings.Join(names, ", ")
	if o.takesValue() {
		if value == "" {
			value = "VALUE"
		}
		left += " " + value
	}
	const col = 28
	if len(left) >= col-1 {
		b.WriteString(left + "\n")
		left = ""
	}
	left += strings.Repeat(" ", col-len(left))
	for _, line := range wrap(usage, helpWidth-col) {
		b.WriteString(left + line + "\n")
		left = strings.Repeat(" ", col)
	}
}

// unquoteUsage takes the `WORD` that names an option's value out of its
// usage, as urfave/cli reads it.
func unquoteUsage(usage string) (text, value string) {
	before, rest, ok := strings.Cut(usage, "`")
	if !ok {
		return usage, ""
	}
	value, after, ok := strings.Cut(rest, "`")
	if !ok {
		return usage, ""
	}
	return before + value + after, value
}

// dashes spells a name as typed: -s for one letter, --silent else.
func dashes(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	if name == "ws" || name == "iwr" {
		return "-" + name // npm's single-dash shorthands
	}
	return "--" + name
}

// optionDefault is the default worth showing: a duration's, and a
// limit's when there is none; a switch is off unless given, which goes
// without saying.
func optionDefault(o option) string {
	switch d := o.field(newConfig()).(type) {
	case *time.Duration:
		if *d != 0 {
			return d.String()
		}
	case *int:
		if *d < 0 {
			return "no limit"
		}
	}
	return ""
}

// wrap breaks text into lines of at most width bytes at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}
