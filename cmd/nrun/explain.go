package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/nrunjs/nrun/internal/quote"
	"github.com/nrunjs/nrun/runner"
	"github.com/nrunjs/nrun/shell"
)

// explained is the plan as --explain shows it, and as --explain --json
// prints it.
type explained struct {
	Package string                 `json:"package"`
	Note    string                 `json:"note,omitempty"`
	Files   []explainFile          `json:"envFiles,omitempty"`
	Dir     string                 `json:"cwd"`
	Path    []string               `json:"pathAdded"`
	Skipped []runner.SkippedBinDir `json:"pathSkipped,omitempty"`
	Env     []string               `json:"envSet"`
	Scripts []explainScript        `json:"scripts"`
	Restart *explainRestart        `json:"restart,omitempty"`
	Watch   *explainWatch          `json:"watch,omitempty"`
}

// explainWatch is what --watch asks for.
type explainWatch struct {
	Paths  []string `json:"paths"`
	Ignore []string `json:"ignore"` // the built-in list, then --watch-ignore
	Delay  string   `json:"delay"`
}

// explainRestart is what --restart asks for.
type explainRestart struct {
	Policy string `json:"policy"` // on-failure, always
	Max    *int   `json:"max"`    // null: no limit
	Delay  string `json:"delay"`  // the first pause
}

type explainScript struct {
	Event string        `json:"event"`
	Line  string        `json:"line"`
	Cmds  []explainStep `json:"commands"`
}

type explainStep struct {
	Op     string          `json:"op,omitempty"` // "&&", "||", ";"
	Kind   string          `json:"kind"`         // direct, shell, cd, export, assign, status, exit, run
	Argv   []string        `json:"argv,omitempty"`
	Env    []string        `json:"env,omitempty"`
	Line   string          `json:"line,omitempty"`
	Code   *int            `json:"code,omitempty"`
	Mode   string          `json:"mode,omitempty"` // exec, child, supervised
	Nested []explainScript `json:"nested,omitempty"`
}

// explain prints what running the plan would do, and runs nothing.
func explain(w io.Writer, x explained, asJSON bool) error {
	if asJSON {
		return writeJSON(w, x)
	}
	var b strings.Builder
	x.write(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

func newExplained(plan runner.Plan, opts runner.Options, bins runner.BinPath, pkgPath, note string) explained {
	x := explained{Package: pkgPath, Note: note, Dir: plan.Dir, Path: bins.Dirs, Skipped: bins.Skipped, Env: addedEnv(plan.Env)}
	x.Scripts = explainScripts(plan.Scripts, opts, true)
	return x
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (x explained) write(b *strings.Builder) {
	fmt.Fprintf(b, "package  %s\n", x.Package)
	if x.Note != "" {
		fmt.Fprintf(b, "note     %s\n", x.Note)
	}
	fmt.Fprintf(b, "cwd      %s\n", x.Dir)
	writeEnvFiles(b, x.Files)
	for i, d := range x.Path {
		fmt.Fprintf(b, "%s %s\n", pick(i == 0, "PATH  +", "       "), d)
	}
	for i, s := range x.Skipped {
		fmt.Fprintf(b, "%s %s (not trusted: %s)\n", pick(i == 0, "PATH  -", "       "), s.Dir, s.Reason)
	}
	for i, kv := range x.Env {
		fmt.Fprintf(b, "%s %s\n", pick(i == 0, "env   +", "       "), oneLine(kv))
	}
	writeScripts(b, x.Scripts, "")
	if r := x.Restart; r != nil {
		limit := "no limit"
		if r.Max != nil {
			limit = fmt.Sprintf("at most %d times", *r.Max)
		}
		fmt.Fprintf(b, "restart  %s, %s, first after %s (doubling up to %v while runs last under %v)\n", r.Policy, limit, r.Delay, maxDelay, quickRun)
	}
	if w := x.Watch; w != nil {
		fmt.Fprintf(b, "watch    %s (quiet for %s)\n", strings.Join(w.Paths, ", "), w.Delay)
		fmt.Fprintf(b, "ignore   %s\n", strings.Join(w.Ignore, " "))
	}
}

// explainedRun is the plan of a multi-job run: every job in the order it
// would start, and what would be reported missing.
type explainedRun struct {
	Parallel bool `json:"parallel"`
	// MaxParallel caps the jobs running at once; 0 is no cap.
	MaxParallel int  `json:"maxParallel"`
	Race        bool `json:"race"`
	Aggregate   bool `json:"aggregateOutput"`
	Bail        bool `json:"bail"`
	// Topological: the jobs are in dependency order and wait for the
	// jobs named in their After.
	Topological bool           `json:"topological"`
	Jobs        []explainedJob `json:"jobs"`
	Missing     []string       `json:"missing,omitempty"`
}

type explainedJob struct {
	Order     int       `json:"order"`
	Workspace *string   `json:"workspace"`
	Script    string    `json:"script"`
	After     []int     `json:"after,omitempty"` // the orders of the jobs it waits for
	Plan      explained `json:"plan"`
}

// explainJobs shows the plan of every job of a multi-job run, as planned
// for the run, and runs nothing.
func explainJobs(w io.Writer, cfg *config, jobs []job, planned []plannedJob, missing []missingJob, workspaces bool) error {
	x := explainedRun{Parallel: cfg.parallel, MaxParallel: cfg.maxParallel, Race: cfg.race, Aggregate: cfg.aggregate,
		Bail: cfg.bails(workspaces), Topological: cfg.topological && workspaces, Jobs: []explainedJob{}}
	for i, j := range jobs {
		p := planned[i]
		ej := explainedJob{Order: i + 1, Script: j.script, Plan: newExplained(p.plan, jobOptions(cfg), p.bins, j.pkg.Path, p.note)}
		ej.Plan.Files = cfg.explainEnvFiles()
		for _, a := range j.after {
			ej.After = append(ej.After, a+1)
		}
		if workspaces {
			name := header(j.pkg)
			ej.Workspace = &name
		}
		x.Jobs = append(x.Jobs, ej)
	}
	for _, m := range missing {
		x.Missing = append(x.Missing, m.err.Error())
	}
	if cfg.json {
		return writeJSON(w, x)
	}
	var b strings.Builder
	x.writeSchedule(&b)
	for _, j := range x.Jobs {
		where := ""
		if j.Workspace != nil {
			where = " in " + *j.Workspace
		}
		waits := ""
		if len(j.After) > 0 {
			waits = fmt.Sprintf(" (after job %s)", joinInts(j.After))
		}
		fmt.Fprintf(&b, "\njob %d: %s%s%s\n", j.Order, j.Script, where, waits)
		j.Plan.write(&b)
	}
	for _, m := range x.Missing {
		fmt.Fprintf(&b, "\nmissing: %s\n", m)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeSchedule says in one line how the jobs would run: one after
// another or at once, in which order, how many at a time, what ends the
// run early and how their output is shown.
func (x explainedRun) writeSchedule(b *strings.Builder) {
	parts := []string{fmt.Sprintf("%d jobs", len(x.Jobs))}
	order := pick(x.Topological, " in dependency order", "")
	if !x.Parallel {
		parts = append(parts, "one after another"+order)
	} else {
		parts = append(parts, "at once"+order)
		if x.MaxParallel > 0 {
			parts = append(parts, fmt.Sprintf("at most %d at a time", x.MaxParallel))
		} else {
			parts = append(parts, "no cap")
		}
		if x.Race {
			parts = append(parts, "ending at the first success")
		}
		if x.Aggregate {
			parts = append(parts, "each job's output in one block when it ends")
		}
	}
	parts = append(parts, pick(x.Bail, "stopping at the first failure", "going on after a failure"))
	fmt.Fprintln(b, strings.Join(parts, ", "))
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

// addedEnv lists what nrun sets or changes in the inherited environment
// for every script.
func addedEnv(env runner.Env) []string {
	var out []string
	for _, kv := range env.List() {
		name, value, _ := strings.Cut(kv, "=")
		if name == "PATH" {
			continue // shown as the directories added
		}
		if old, ok := os.LookupEnv(name); !ok || old != value {
			out = append(out, kv)
		}
	}
	return out
}

// explainScripts mirrors the runner's walk: only the plan's final program
// may replace nrun.
func explainScripts(list []*runner.Script, opts runner.Options, last bool) []explainScript {
	out := make([]explainScript, len(list))
	for i, s := range list {
		out[i] = explainScript{Event: s.Event, Line: s.Line}
		lastScript := last && i == len(list)-1
		for j, c := range s.Cmds {
			out[i].Cmds = append(out[i].Cmds, explainCmd(c, opts, lastScript && j == len(s.Cmds)-1, j > 0))
		}
	}
	return out
}

func explainCmd(c runner.Cmd, opts runner.Options, last, joined bool) explainStep {
	st := explainStep{Argv: c.Argv, Env: c.Env}
	if joined {
		st.Op = map[shell.Op]string{shell.Seq: ";", shell.And: "&&", shell.Or: "||"}[c.Op]
	}
	switch c.Kind {
	case shell.Direct, shell.Shell:
		st.Kind, st.Mode = "direct", "child"
		if c.Kind == shell.Shell {
			st.Kind, st.Argv, st.Line = "shell", nil, quote.ShLine(c.Line, c.Args, c.ExecAt)
		}
		switch {
		case c.Supervise:
			st.Mode = "supervised"
		case opts.Execs(c, last):
			st.Mode = "exec"
		}
	case shell.Cd:
		st.Kind = "cd"
	case shell.Export, shell.Assign:
		st.Kind = map[shell.Kind]string{shell.Export: "export", shell.Assign: "assign"}[c.Kind]
	case shell.Status, shell.Exit:
		st.Kind, st.Code = map[shell.Kind]string{shell.Status: "status", shell.Exit: "exit"}[c.Kind], &c.Code
	case shell.Run:
		st.Kind = "run"
		st.Nested = explainScripts(c.Scripts, opts, last)
	}
	return st
}

func writeScripts(b *strings.Builder, list []explainScript, indent string) {
	for _, s := range list {
		fmt.Fprintf(b, "%sscript %s: %s\n", indent, s.Event, s.Line)
		for _, c := range s.Cmds {
			fmt.Fprintf(b, "%s  %-2s %s\n", indent, c.Op, describeStep(c))
			writeScripts(b, c.Nested, indent+"     ")
		}
	}
}

func describeStep(c explainStep) string {
	switch c.Kind {
	case "direct":
		return fmt.Sprintf("%-10s %s%s", "["+c.Mode+"]", envPrefix(c.Env), quote.AppendSh("", c.Argv)[1:])
	case "shell":
		return fmt.Sprintf("%-10s sh -c %s", "["+c.Mode+"]", quote.Sh(c.Line))
	case "cd":
		return "cd " + quote.Sh(c.Argv[0])
	case "export", "assign":
		return c.Kind + " " + strings.Join(c.Env, " ")
	case "status", "exit":
		if *c.Code < 0 {
			return c.Kind + " (with the last status)"
		}
		return fmt.Sprintf("%s %d", c.Kind, *c.Code)
	case "run":
		return "run in place: " + quote.AppendSh("", c.Argv)[1:]
	}
	return c.Kind
}

func envPrefix(env []string) string {
	var b strings.Builder
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		b.WriteString(name + "=" + quote.Sh(value) + " ")
	}
	return b.String()
}

// joinInts writes 1, 2 and 3 as "1, 2, 3".
func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}
