package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nrunjs/nrun/internal/minimatch"
	"github.com/nrunjs/nrun/internal/quote"
	"github.com/nrunjs/nrun/internal/workspaces"
	"github.com/nrunjs/nrun/pkgjson"
	"github.com/nrunjs/nrun/runner"
	"github.com/nrunjs/nrun/shell"
)

// job is one script of one package in a multi-script or workspace run.
type job struct {
	pkg    *pkgjson.Package
	script string
	label  string // what output and the summary call it
	pos    int    // its place among the jobs and the missing scripts
	// npmArgs, when the name carried arguments ("build -- {1}"), are what
	// follows the script name in `npm run`, as npm-run-all2 runs it; else
	// the run's arguments after -- go to the script.
	npmArgs []string
	// after are the jobs (indices) that must end successfully before this
	// one starts: with --topological, those of the workspaces it depends on.
	after []int
}

// multiRun reports whether the command line asks for more than one script
// or for workspaces.
func (cfg *config) multiRun() bool {
	return cfg.parallel || cfg.sequential || len(cfg.workspace) > 0 || cfg.workspaces
}

// runMulti runs every selected script of every selected package, one
// after another, or at once with --parallel. Each job is planned here as a
// single run of its own would be — its own environment, hooks,
// supervision and teardown — and only its programs start. Without a
// script name it lists the selected packages' scripts; with --explain it
// shows every job's plan and runs nothing.
func runMulti(cfg *config, pkg *pkgjson.Package, cwd string, stdout, stderr io.Writer) error {
	pkgs, workspaces, err := selectPackages(cfg, pkg, cwd)
	if err != nil {
		return err
	}
	if cfg.script == "" || cfg.list || cfg.json && !cfg.explain {
		return listPackages(cfg, stdout, pkgs)
	}
	if err := cfg.loadEnvFiles(); err != nil {
		return err // before any job starts
	}
	var deps map[*pkgjson.Package][]*pkgjson.Package
	if cfg.topological && workspaces {
		pkgs, deps = orderPackages(pkgs, stderr)
	}
	jobs, missing, err := selectJobs(cfg, pkgs)
	if err != nil {
		return err
	}
	linkJobs(jobs, deps)
	if len(missing) > 0 && !workspaces {
		// Several scripts of one package: a name that matches nothing is a
		// mistake to fix before anything runs, as in npm-run-all2.
		return missing[0].err
	}
	cfg.workspaceRun = workspaces
	planned, err := planJobs(cfg, jobs, cwd)
	if err != nil {
		return err // before any job starts
	}
	if cfg.explain {
		return explainJobs(stdout, cfg, jobs, planned, missing, workspaces)
	}
	warnSkippedOnce(stderr, planned)
	start := time.Now()
	var results []runner.Result
	if cfg.parallel {
		for _, j := range jobs {
			announceJob(cfg, stderr, j)
		}
		sched := runner.Schedule{Bail: cfg.bails(workspaces), Race: cfg.race, Max: cfg.maxParallel, Aggregate: cfg.aggregate}
		rjobs := make([]runner.Job, len(jobs))
		for i, j := range jobs {
			rjobs[i] = runner.Job{Name: j.label, Plan: planned[i].plan, After: j.after}
		}
		// Jobs at once print only through their prefixed output: no
		// banners, and their notices carry their prefix.
		opts := jobOptions(cfg)
		if !cfg.silent {
			opts.Notice = warner(stderr)
		}
		results = runner.Parallel(rjobs, os.Stdout, sched, opts)
		for i := range results {
			if results[i].Err != nil { // said in the job's output already
				results[i].Code = codeOf(results[i].Err, io.Discard)
			}
		}
	} else {
		results = runSequential(cfg, jobs, planned, stderr, cfg.bails(workspaces))
	}
	if isTerminal(stderr) && !cfg.silent {
		summary(stderr, results, time.Since(start), colorOn(stderr))
	}
	err = multiOutcome(cfg, stderr, jobs, results, missing, workspaces)
	if cfg.report != "" {
		if rerr := writeReport(cfg.report, cwd, jobs, results, workspaces); rerr != nil {
			if err == nil {
				return rerr
			}
			fmt.Fprintf(stderr, "nrun: %v\n", rerr) // the run's own failure decides the status
		}
	}
	return err
}

// plannedJob is a job's plan and what --explain says of it.
type plannedJob struct {
	plan runner.Plan
	bins runner.BinPath
	note string
}

// planJobs plans every job as a single run of its package would be
// planned: its environment (INIT_CWD is where nrun started), hooks and
// nested calls. A job that restarts (--restart, --watch) is an nrun of
// its own instead, whose loop restarts that job alone.
func planJobs(cfg *config, jobs []job, cwd string) ([]plannedJob, error) {
	out := make([]plannedJob, len(jobs))
	environ := cfg.environ().List()
	self := ""
	for i, j := range jobs {
		jc := *cfg
		jc.script, jc.scripts = j.script, nil
		environ := environ
		if j.npmArgs != nil { // read as `npm run SCRIPT ARGS` reads them
			jc.args = jc.takeNpmRun(append([]string{j.script}, j.npmArgs...))[1:]
			environ = jc.environ().List()
		}
		bins := findBinDirs(j.pkg.Dir)
		if cfg.restarting() && !cfg.explain {
			if self == "" {
				var err error
				if self, err = os.Executable(); err != nil {
					return nil, fmt.Errorf("cannot find nrun's own executable: %w", err)
				}
			}
			out[i] = plannedJob{plan: restartingJob(cfg, self, j, cwd), bins: bins}
			continue
		}
		env := scriptEnv(&jc, environ, j.pkg, bins, cwd)
		scripts, note, err := planScripts(&jc, j.pkg, env, bins.Dirs)
		if err != nil {
			return nil, err
		}
		out[i] = plannedJob{plan: runner.Plan{Dir: j.pkg.Dir, Env: env, Scripts: scripts}, bins: bins, note: note}
	}
	return out, nil
}

// jobOptions are the runner's options for the jobs of a multi-job run.
func jobOptions(cfg *config) runner.Options {
	return runner.Options{Shell: scriptShell(cfg), Supervise: true, Grace: cfg.grace, PIDNamespace: cfg.pidNamespace, AllowBreakaway: cfg.breakaway}
}

// multiOutcome is the run's status: a race won is a success; otherwise
// that of workspaceOutcome for workspaces, or the first failure's.
func multiOutcome(cfg *config, stderr io.Writer, jobs []job, results []runner.Result, missing []missingJob, workspaces bool) error {
	if cfg.race && slices.ContainsFunc(results, func(r runner.Result) bool { return r.Code == 0 && !r.Canceled }) {
		return nil // a job won the race: the others were stopped on purpose
	}
	if workspaces {
		return workspaceOutcome(stderr, jobs, results, missing)
	}
	for _, r := range results {
		if r.Code != 0 && !r.Canceled {
			return &runner.ExitError{Code: r.Code, Signal: r.Signal} // the first failure's
		}
	}
	return nil
}

// checkParallelOptions refuses the options of parallel runs where they
// would mean nothing, rather than ignore them.
func (cfg *config) checkParallelOptions() error {
	if cfg.report != "" && !cfg.multiRun() {
		return usageError{errors.New("--report needs a run of several jobs (-w, --workspaces, --parallel or --sequential)")}
	}
	if cfg.maxParallel < 0 {
		return usageError{fmt.Errorf("--max-parallel %d: the cap must be 1 or more (0: none)", cfg.maxParallel)}
	}
	for _, o := range []struct {
		name string
		set  bool
	}{{"max-parallel", cfg.maxParallel != 0}, {"race", cfg.race}, {"aggregate-output", cfg.aggregate}} {
		if o.set && !cfg.parallel {
			return usageError{fmt.Errorf("--%s needs --parallel", o.name)}
		}
	}
	return nil
}

// bails reports whether the first failure stops the rest: --bail and
// --no-bail decide; else workspace runs go on, as npm's do, and runs of
// several scripts stop, as npm-run-all2's do.
func (cfg *config) bails(workspaces bool) bool {
	switch {
	case cfg.bail:
		return true
	case cfg.noBail:
		return false
	}
	return !workspaces
}

// workspaceOutcome reports, after every job has run, each workspace that
// failed or lacked the script. The exit status is npm's: that of the last
// failure in workspace order, 1 for a missing script or a death by signal.
func workspaceOutcome(stderr io.Writer, jobs []job, results []runner.Result, missing []missingJob) error {
	code, at := 0, -1
	fail := func(pos, c int) {
		if pos > at {
			code, at = c, pos
		}
	}
	for i, r := range results {
		switch {
		case r.Canceled:
			fmt.Fprintf(stderr, "nrun: %s: stopped\n", r.Name)
			fail(jobs[i].pos, exitFailure)
		case r.Signal != 0:
			fmt.Fprintf(stderr, "nrun: %s: killed by signal %d\n", r.Name, int(r.Signal))
			fail(jobs[i].pos, exitFailure)
		case r.Code != 0:
			fmt.Fprintf(stderr, "nrun: %s: exit status %d\n", r.Name, r.Code)
			fail(jobs[i].pos, r.Code)
		}
	}
	for _, m := range missing {
		fmt.Fprintf(stderr, "nrun: %v\n", m.err)
		fail(m.pos, exitFailure)
	}
	if at >= 0 {
		return &runner.ExitError{Code: code}
	}
	return nil
}

// announceJob prints the line that says which job is talking, as npm's
// "> name@version script" does; -s leaves it out.
func announceJob(cfg *config, stderr io.Writer, j job) {
	switch {
	case cfg.silent:
	case j.pkg.Name == "":
		fmt.Fprintf(stderr, "> %s\n", j.script)
	default:
		fmt.Fprintf(stderr, "> %s %s\n", header(j.pkg), j.script)
	}
}

// listPackages lists the scripts of each selected package.
func listPackages(cfg *config, stdout io.Writer, pkgs []*pkgjson.Package) error {
	for _, p := range pkgs {
		var err error
		if cfg.json {
			err = listJSON(stdout, p)
		} else {
			err = list(stdout, p, colorOn(stdout))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// selectPackages returns the packages to run in: the workspaces asked for
// (and the root with --include-workspace-root), or the package itself;
// workspaceRun is true for a workspace run.
func selectPackages(cfg *config, pkg *pkgjson.Package, cwd string) (pkgs []*pkgjson.Package, workspaceRun bool, err error) {
	if len(cfg.workspace) == 0 && !cfg.workspaces {
		return []*pkgjson.Package{pkg}, false, nil
	}
	root, err := monorepoRoot(pkg)
	if err != nil {
		return nil, true, err
	}
	filter := cfg.workspace
	if len(filter) == 0 && root != pkg {
		// Inside a workspace, npm takes that workspace as the default
		// filter, so --workspaces there runs it alone.
		filter = []string{pkg.Dir}
	}
	chosen, err := chooseWorkspaces(root, filter, cwd)
	if err != nil {
		return nil, true, err
	}
	if cfg.includeRoot {
		pkgs = append(pkgs, root)
	}
	for _, ws := range chosen {
		p, err := pkgjson.Load(ws.Path)
		if err != nil {
			return nil, true, err
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, true, nil
}

// chooseWorkspaces returns the workspaces of root that filter selects, all
// of them when it is empty. When every filter is a path, only the selected
// workspaces' package.json are read (workspaces.SelectPaths); a selection
// that comes out empty is made again from the whole list, whose error is
// then npm's.
func chooseWorkspaces(root *pkgjson.Package, filter []string, cwd string) ([]workspaces.Workspace, error) {
	if len(filter) > 0 && !slices.ContainsFunc(filter, func(f string) bool { return !workspaces.IsPath(f) }) {
		chosen, err := workspaces.SelectPaths(root, filter, cwd)
		if !errors.Is(err, workspaces.ErrNoWorkspaces) {
			return chosen, err
		}
	}
	all, err := workspaces.Workspaces(root)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s declares no workspaces", root.Path)
	}
	if len(filter) == 0 {
		return all, nil
	}
	return workspaces.SelectWorkspaces(all, filter, cwd)
}

// missingJob is a script a selected package lacks, at its place in the
// order of jobs.
type missingJob struct {
	pos int
	err error
}

// selectJobs expands the script names (globs like "build:*" match in
// package.json order, leaving out pre and post hooks, which run with their
// script) in every package. A name a package lacks is reported in missing
// unless --if-present, which skips it.
func selectJobs(cfg *config, pkgs []*pkgjson.Package) (jobs []job, missing []missingJob, err error) {
	names := cfg.scripts
	if len(names) == 0 {
		names = []string{cfg.script}
	}
	if hasPlaceholders(names) {
		if names, err = applyPlaceholders(names, cfg.args); err != nil {
			return nil, nil, usageError{err}
		}
		cfg.args = nil // they went where they were placed
	}
	for _, p := range pkgs {
		for _, full := range names {
			name, args, err := splitName(full)
			if err != nil {
				return nil, nil, usageError{err}
			}
			matched := matchScripts(p, name)
			pos := len(jobs) + len(missing)
			if len(matched) == 0 && !cfg.ifPresent {
				err := fmt.Errorf("missing script %q in %s (%s)", name, header(p), p.Path)
				if len(pkgs) == 1 {
					err = missingScript(p, name)
				}
				missing = append(missing, missingJob{pos, err})
			}
			for i, s := range matched {
				jobs = append(jobs, job{pkg: p, script: s, label: jobLabel(p, s, len(pkgs) > 1), pos: pos + i, npmArgs: args})
			}
		}
	}
	return jobs, missing, nil
}

func matchScripts(p *pkgjson.Package, pattern string) []string {
	if !strings.ContainsAny(pattern, "*?[{+@!") {
		if _, ok := p.Script(pattern); ok {
			return []string{pattern}
		}
		return nil
	}
	var out []string
	glob := swapColonSlash(pattern)
	for _, e := range listEntries(p) {
		// ":" plays the part of "/" in script names, as in npm-run-all:
		// "build:*" matches "build:js" but not "build:js:min", which
		// "build:**" matches.
		if !e.hook && minimatch.Match(glob, swapColonSlash(e.name), minimatch.Options{NoNegate: true}) {
			out = append(out, e.name)
		}
	}
	return out
}

// swapColonSlash exchanges ":" and "/", so that minimatch's path rules
// apply to the parts of a script name.
func swapColonSlash(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ':':
			return '/'
		case '/':
			return ':'
		}
		return r
	}, s)
}

func jobLabel(p *pkgjson.Package, script string, manyPackages bool) string {
	if !manyPackages {
		return script
	}
	name := p.Name
	if name == "" {
		name = filepath.Base(p.Dir)
	}
	return name + ":" + script
}

// warnSkippedOnce reports each ancestor's node_modules/.bin that some job
// leaves off PATH once for the whole run.
func warnSkippedOnce(stderr io.Writer, planned []plannedJob) {
	warned := map[string]bool{}
	for _, p := range planned {
		var fresh []runner.SkippedBinDir
		for _, s := range p.bins.Skipped {
			if !warned[s.Dir] {
				warned[s.Dir] = true
				fresh = append(fresh, s)
			}
		}
		warnSkipped(stderr, fresh)
	}
}

// restartingJob is the plan of a job that restarts: `nrun -C DIR SCRIPT`
// with the options that shape a single run passed on, so that the job's
// own nrun runs the restart loop, with its signals and watcher.
func restartingJob(cfg *config, self string, j job, cwd string) runner.Plan {
	jc := *cfg
	if cfg.parallel {
		jc.silent = true // its output goes through nrun's prefixed pipe
	}
	// The outer nrun has reported the .bin directories the jobs leave off.
	jc.binWarned = true
	argv := append([]string{self, "-C", j.pkg.Dir}, jc.passedOn()...)
	if j.npmArgs != nil {
		// As npm-run-all2 runs it: `npm run task ARGS`, npm's grammar.
		argv = append(append(argv, "run", j.script), j.npmArgs...)
	} else {
		argv = append(argv, j.script)
		if len(cfg.args) > 0 {
			argv = append(append(argv, "--"), cfg.args...)
		}
	}
	env := cfg.environ()
	return runner.Plan{Dir: cwd, Env: env, Scripts: []*runner.Script{{
		Event: j.script,
		Env:   env,
		Line:  quote.AppendSh("", argv[1:]),
		Cmds:  []runner.Cmd{{Cmd: shell.Cmd{Kind: shell.Direct, Argv: argv}}},
	}}}
}

// runSequential runs the jobs one by one, each supervised as a run of its
// own; with bail it stops at the first failure. A job whose predecessor
// (after) did not succeed is skipped, as in a parallel run.
func runSequential(cfg *config, jobs []job, planned []plannedJob, stderr io.Writer, bail bool) []runner.Result {
	var results []runner.Result
	for i, j := range jobs {
		if slices.ContainsFunc(j.after, func(a int) bool { return results[a].Failed() }) {
			results = append(results, runner.Result{Name: j.label, Canceled: true})
			continue
		}
		announceJob(cfg, stderr, j)
		opts := jobOptions(cfg)
		if !cfg.silent {
			opts.Notice = warner(stderr)
			if isTerminal(stderr) && !cfg.restarting() {
				opts.Announce = announcer(cfg, stderr, planned[i].plan.Scripts, j.script)
			}
		}
		start := time.Now()
		err := runner.Run(planned[i].plan, opts)
		r := runner.Result{Name: j.label, Started: start, Took: time.Since(start), Code: codeOf(err, stderr)}
		if exit, ok := err.(*runner.ExitError); ok {
			r.Signal = exit.Signal
		}
		results = append(results, r)
		if r.Code != 0 && bail {
			break
		}
	}
	return results
}

// summary prints one line: each job's status and duration.
func summary(w io.Writer, results []runner.Result, took time.Duration, color bool) {
	parts := make([]string, len(results))
	for i, r := range results {
		mark := "ok"
		switch {
		case r.Canceled:
			mark = "stopped"
		case r.Code != 0:
			mark = fmt.Sprintf("exit %d", r.Code)
		}
		parts[i] = fmt.Sprintf("%s %s %s", r.Name, mark, r.Took.Round(time.Millisecond))
	}
	line := fmt.Sprintf("nrun: %s (%s)", strings.Join(parts, ", "), took.Round(time.Millisecond))
	if color {
		line = "\x1b[2m" + line + "\x1b[0m"
	}
	fmt.Fprintln(w, line)
}
