package main

import (
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
)

// option is one of nrun's command-line options. Every reader and writer
// of nrun's command line is made from the table below: the parser's
// flags, the fast path's list of variables that stand for options, the
// scan before main that asks for the parent-death signal, the completion
// scripts and the command lines of the nruns that run the jobs of a
// multi-job run. Adding an option is adding a row.
type option struct {
	name    string
	aliases []string
	usage   string // `WORD` in backquotes names the value in the help
	group   string // the help's heading for it (groups, in order)
	env     string // a variable that stands for the option ("1" or "true")
	hidden  bool
	// supervises: the option makes nrun stay the app's parent, so nrun
	// asks to hear of its own parent's death before anything else runs.
	supervises bool
	// passOn: each job of a multi-job run is an nrun with this option too.
	passOn bool
	// field points into a config: *bool, *string, *int, *[]string,
	// *time.Duration or envFilesField, which also gives the option's kind.
	// A negative *int default means "no limit".
	field func(*config) any
}

// takesValue reports whether the option reads a value.
func (o option) takesValue() bool {
	_, isBool := o.field(&kindProbe).(*bool)
	return !isBool
}

// kindProbe is the config takesValue points into, only to learn a field's
// type: never written, and a variable so that asking allocates nothing
// (the scan before main asks).
var kindProbe config

// groups are the help's headings, in the order it shows them.
var groups = []struct{ key, title string }{
	{"running", "Running a script"},
	{"processes", "Processes and signals"},
	{"workspaces", "Workspaces and several scripts"},
	{"restart", "Restart and watch"},
	{"output", "Output and information"},
}

var options = []option{
	{name: "prefix", group: "running", aliases: []string{"C"}, usage: "look for package.json from `DIR` upwards",
		field: func(c *config) any { return &c.prefix }},
	{name: "if-present", group: "running", usage: "exit 0 silently when the script does not exist",
		field: func(c *config) any { return &c.ifPresent }},
	{name: "ignore-scripts", group: "running", usage: "do not run pre and post hooks", passOn: true,
		field: func(c *config) any { return &c.ignoreScripts }},
	{name: "silent", group: "output", aliases: []string{"s"}, usage: "print no banner or notices", passOn: true,
		field: func(c *config) any { return &c.silent }},
	{name: "shell", group: "running", usage: "run lines that need a shell with `PATH` (default /bin/sh; also $npm_config_script_shell)", passOn: true,
		field: func(c *config) any { return &c.shell }},
	{name: "list", group: "output", aliases: []string{"l"}, usage: "list the scripts",
		field: func(c *config) any { return &c.list }},
	{name: "json", group: "output", usage: "list the scripts as JSON",
		field: func(c *config) any { return &c.json }},
	{name: "explain", group: "running", usage: "print the plan (with --json: as JSON) and run nothing",
		field: func(c *config) any { return &c.explain }},
	{name: "supervise", group: "processes", usage: "stay the parent of the app and take its whole tree down (also $NRUN_SUPERVISE=1)", env: "NRUN_SUPERVISE", supervises: true, passOn: true,
		field: func(c *config) any { return &c.supervise }},
	{name: "init", group: "processes", usage: "act as init: supervise and reap every zombie (default when nrun is PID 1)", supervises: true,
		field: func(c *config) any { return &c.init }},
	{name: "no-init", group: "processes", usage: "never act as init, even as PID 1: exec the app",
		field: func(c *config) any { return &c.noInit }},
	{name: "pid-namespace", group: "processes", usage: "supervise with the tree in its own PID namespace, so even a SIGKILL of nrun ends it (Linux; also $NRUN_PID_NAMESPACE=1)", env: "NRUN_PID_NAMESPACE", supervises: true, passOn: true,
		field: func(c *config) any { return &c.pidNamespace }},
	{name: "workspace", group: "workspaces", supervises: true, aliases: []string{"w"}, usage: "run in the workspace `NAME|PATH` (repeatable)",
		field: func(c *config) any { return &c.workspace }},
	{name: "workspaces", group: "workspaces", supervises: true, aliases: []string{"ws"}, usage: "run in every workspace, in npm's order",
		field: func(c *config) any { return &c.workspaces }},
	{name: "include-workspace-root", group: "workspaces", aliases: []string{"iwr"}, usage: "with -w or --workspaces, run in the root package too",
		field: func(c *config) any { return &c.includeRoot }},
	{name: "parallel", group: "workspaces", supervises: true, aliases: []string{"p"}, usage: "run the scripts named (globs allowed) at once, output prefixed",
		field: func(c *config) any { return &c.parallel }},
	{name: "sequential", group: "workspaces", supervises: true, usage: "run the scripts named (globs allowed) one after another",
		field: func(c *config) any { return &c.sequential }},
	{name: "topological", group: "workspaces", usage: "run each workspace after the workspaces it depends on; with --parallel, start it when their jobs have succeeded",
		field: func(c *config) any { return &c.topological }},
	{name: "max-parallel", group: "workspaces", usage: "with --parallel, run at most `N` jobs at once (default: no cap)",
		field: func(c *config) any { return &c.maxParallel }},
	{name: "race", group: "workspaces", usage: "with --parallel, end the run as soon as one job succeeds, stopping the others",
		field: func(c *config) any { return &c.race }},
	{name: "aggregate-output", group: "workspaces", usage: "with --parallel, print each job's output in one block when it ends",
		field: func(c *config) any { return &c.aggregate }},
	{name: "report", group: "workspaces", usage: "write how each job ended to `FILE` as JSON (workspace, script, status, signal, durationMs, startedAt)",
		field: func(c *config) any { return &c.report }},
	{name: "bail", group: "workspaces", usage: "stop at the first failure (the default for several scripts)",
		field: func(c *config) any { return &c.bail }},
	{name: "no-bail", group: "workspaces", usage: "go on after a failure (the default for workspaces, as npm)",
		field: func(c *config) any { return &c.noBail }},
	{name: "allow-breakaway", group: "processes", usage: "Windows: let processes the script starts with CREATE_BREAKAWAY_FROM_JOB outlive nrun (also $NRUN_ALLOW_BREAKAWAY=1)", env: "NRUN_ALLOW_BREAKAWAY", passOn: true,
		field: func(c *config) any { return &c.breakaway }},
	{name: "env-file", group: "running", usage: "load variables from the dotenv file `PATH` before anything runs, read as node --env-file reads it; the environment wins, a later file wins over an earlier one (repeatable)", passOn: true,
		field: func(c *config) any { return envFilesField{list: &c.envFiles} }},
	{name: "env-file-if-exists", group: "running", usage: "as --env-file, but skip `PATH` if it does not exist (repeatable)", passOn: true,
		field: func(c *config) any { return envFilesField{list: &c.envFiles, ifExists: true} }},
	{name: "grace", group: "processes", usage: "wait `DURATION` between SIGTERM and SIGKILL when tearing a tree down", passOn: true,
		field: func(c *config) any { return &c.grace }},
	{name: "restart", group: "restart", usage: "run the script again when it ends: `on-failure|always` (implies --supervise)", supervises: true, passOn: true,
		field: func(c *config) any { return &c.restart }},
	{name: "restart-max", group: "restart", usage: "give up after `N` restarts and exit with the last run's status", passOn: true,
		field: func(c *config) any { return &c.restartMax }},
	{name: "restart-delay", group: "restart", usage: "wait `DURATION` before the first restart, doubled after each run shorter than 10s, up to 30s", passOn: true,
		field: func(c *config) any { return &c.restartDelay }},
	{name: "watch", group: "restart", usage: "run the script again when a file under the package directory changes (implies --supervise)", supervises: true, passOn: true,
		field: func(c *config) any { return &c.watch }},
	{name: "watch-path", group: "restart", usage: "watch `PATH` instead of the package directory (repeatable; implies --watch)", supervises: true, passOn: true,
		field: func(c *config) any { return &c.watchPaths }},
	{name: "watch-ignore", group: "restart", usage: "do not watch what matches `GLOB` (repeatable)", passOn: true,
		field: func(c *config) any { return &c.watchIgnore }},
	{name: "watch-delay", group: "restart", usage: "wait until files have been quiet for `DURATION` before running again", passOn: true,
		field: func(c *config) any { return &c.watchDelay }},
	{name: "version", group: "output", usage: "print the version and exit",
		field: func(c *config) any { return &c.version }},
	{name: "completion-names", usage: "print the script names of the nearest package.json, one per line", hidden: true,
		field: func(c *config) any { return &c.completionNames }},
	// Set by a multi-job run for its jobs: the outer nrun has reported the
	// node_modules/.bin directories left off PATH, once for all of them.
	{name: "bin-dirs-warned", usage: "do not report node_modules/.bin directories left off PATH", hidden: true, passOn: true,
		field: func(c *config) any { return &c.binWarned }},
}

// newConfig is the configuration before the command line: the defaults.
func newConfig() *config {
	return &config{grace: defaultGrace, restartMax: -1, restartDelay: defaultRestartDelay, watchDelay: defaultWatchDelay}
}

// cliFlags makes the parser's flags, each writing into cfg.
func cliFlags(cfg *config) []cli.Flag {
	flags := make([]cli.Flag, len(options))
	for i, o := range options {
		var env []string
		if o.env != "" {
			env = []string{o.env}
		}
		switch p := o.field(cfg).(type) {
		case *bool:
			flags[i] = &cli.BoolFlag{Name: o.name, Aliases: o.aliases, Usage: o.usage, EnvVars: env, Hidden: o.hidden, Destination: p}
		case *string:
			flags[i] = &cli.StringFlag{Name: o.name, Aliases: o.aliases, Usage: o.usage, EnvVars: env, Hidden: o.hidden, Destination: p}
		case *int:
			f := &cli.IntFlag{Name: o.name, Aliases: o.aliases, Usage: o.usage, EnvVars: env, Hidden: o.hidden, Value: *p, Destination: p}
			if *p < 0 {
				f.DefaultText = "no limit"
			}
			flags[i] = f
		case *time.Duration:
			flags[i] = &cli.DurationFlag{Name: o.name, Aliases: o.aliases, Usage: o.usage, EnvVars: env, Hidden: o.hidden, Value: *p, Destination: p}
		case *[]string:
			flags[i] = &cli.StringSliceFlag{Name: o.name, Aliases: o.aliases, Usage: o.usage, EnvVars: env, Hidden: o.hidden}
		case envFilesField:
			flags[i] = &cli.GenericFlag{Name: o.name, Aliases: o.aliases, Usage: o.usage, EnvVars: env, Hidden: o.hidden, Value: p}
		}
	}
	return flags
}

// takeLists copies the values of repeatable options, which urfave/cli
// keeps to itself, into cfg.
func takeLists(c *cli.Context, cfg *config) {
	for _, o := range options {
		if p, ok := o.field(cfg).(*[]string); ok {
			*p = c.StringSlice(o.name)
		}
	}
}

// lookupOption finds an option by a name or alias as typed (-w, --prefix,
// -prefix: urfave/cli takes one dash or two for any name).
func lookupOption(arg string) (option, bool) {
	name := strings.TrimLeft(arg, "-")
	for _, o := range options {
		if o.name == name {
			return o, true
		}
		for _, a := range o.aliases {
			if a == name {
				return o, true
			}
		}
	}
	return option{}, false
}

// optionEnvSet reports whether a variable that stands for an option is
// set, so that the command line alone does not say everything.
func optionEnvSet() bool {
	for _, o := range options {
		if o.env != "" {
			if _, set := os.LookupEnv(o.env); set {
				return true
			}
		}
	}
	return false
}

// supervisionAsked reports, from the raw arguments, whether nrun will
// stay the app's parent: an option that supervises among the options
// (which end at the first argument that is not one), or its variable.
func supervisionAsked(args []string) bool {
	for _, o := range options {
		if o.supervises && o.env != "" && envTrue(o.env) {
			return true
		}
	}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "" || a[0] != '-' || a == "--" || a == "-" {
			return false
		}
		name, _, hasValue := strings.Cut(a, "=")
		o, ok := lookupOption(name)
		if !ok {
			continue
		}
		if o.supervises {
			return true
		}
		if o.takesValue() && !hasValue {
			i++ // its value
		}
	}
	return false
}

// passedOn is the part of an nrun command line that gives a job's nrun
// the options of this run that shape a single run.
func (cfg *config) passedOn() []string {
	var out []string
	for _, o := range options {
		if !o.passOn {
			continue
		}
		flag := "--" + o.name
		switch p := o.field(cfg).(type) {
		case *bool:
			if *p {
				out = append(out, flag)
			}
		case *string:
			if *p != "" {
				out = append(out, flag+"="+*p)
			}
		case *int:
			if *p >= 0 {
				out = append(out, flag+"="+strconv.Itoa(*p))
			}
		case *time.Duration:
			out = append(out, flag+"="+p.String())
		case *[]string:
			for _, v := range *p {
				out = append(out, flag+"="+v)
			}
		case envFilesField:
			out = append(out, p.passedOn()...)
		}
	}
	return out
}

func envTrue(name string) bool {
	v := os.Getenv(name)
	return v == "1" || v == "true"
}
