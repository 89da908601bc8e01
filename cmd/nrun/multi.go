package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nrunjs/nrun/pkgjson"
	"github.com/nrunjs/nrun/runner"
	"github.com/nrunjs/nrun/shell"
)

// job is one script of one package in a multi-script or workspace run.
type job struct {
	pkg    *pkgjson.Package
	script string
	label  string // what output and the summary call it
}

// multiRun reports whether the command line asks for more than one script
// or for workspaces.
func (cfg *config) multiRun() bool {
	return cfg.parallel || cfg.sequential || len(cfg.workspace) > 0 || cfg.workspaces
}

// runMulti runs every selected script of every selected package: each as
// its own nrun (`nrun -C DIR SCRIPT`), so each keeps every guarantee of a
// single run — its own environment, hooks, supervision and teardown —
// one after another, or at once with --parallel.
func runMulti(cfg *config, pkg *pkgjson.Package, cwd string, stderr io.Writer) error {
	pkgs, err := selectPackages(cfg, pkg, cwd)
	if err != nil {
		return err
	}
	jobs, err := selectJobs(cfg, pkgs)
	if err != nil || len(jobs) == 0 {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot find nrun's own executable: %w", err)
	}
	start := time.Now()
	var results []runner.Result
	if cfg.parallel {
		results = runner.Parallel(childJobs(cfg, self, jobs, cwd), os.Stdout, !cfg.noBail)
	} else {
		results = runSequential(cfg, self, jobs, cwd)
	}
	if isTerminal(stderr) && !cfg.silent {
		summary(stderr, results, time.Since(start), colorOn(stderr))
	}
	for _, r := range results {
		if r.Code != 0 && !r.Canceled {
			return &runner.ExitError{Code: r.Code, Signal: r.Signal} // the first failure's
		}
	}
	return nil
}

// selectPackages returns the packages to run in: the workspaces asked for
// (and the root with --include-workspace-root), or the package itself.
func selectPackages(cfg *config, pkg *pkgjson.Package, cwd string) ([]*pkgjson.Package, error) {
	if len(cfg.workspace) == 0 && !cfg.workspaces {
		return []*pkgjson.Package{pkg}, nil
	}
	root := pkg
	if path, err := pkgjson.FindWorkspaceRoot(pkg.Dir); err != nil {
		return nil, err
	} else if path != "" && path != pkg.Path {
		if root, err = pkgjson.Load(path); err != nil {
			return nil, err
		}
	}
	all, err := pkgjson.Workspaces(root)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s declares no workspaces", root.Path)
	}
	chosen := all
	if len(cfg.workspace) > 0 {
		if chosen, err = pkgjson.SelectWorkspaces(all, cfg.workspace, cwd); err != nil {
			return nil, err
		}
	}
	var pkgs []*pkgjson.Package
	if cfg.includeRoot {
		pkgs = append(pkgs, root)
	}
	for _, ws := range chosen {
		p, err := pkgjson.Load(ws.Path)
		if err != nil {
			return nil, err
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// selectJobs expands the script names (globs like "build:*" match in
// package.json order, leaving out pre and post hooks, which run with their
// script) in every package. A name a package lacks is an error unless
// --if-present, which skips it.
func selectJobs(cfg *config, pkgs []*pkgjson.Package) ([]job, error) {
	names := cfg.scripts
	if len(names) == 0 {
		names = []string{cfg.script}
	}
	var jobs []job
	for _, p := range pkgs {
		for _, name := range names {
			matched := matchScripts(p, name)
			if len(matched) == 0 && !cfg.ifPresent {
				return nil, missingScript(p, name)
			}
			for _, s := range matched {
				jobs = append(jobs, job{pkg: p, script: s, label: jobLabel(p, s, len(pkgs) > 1)})
			}
		}
	}
	return jobs, nil
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
		if !e.hook && pkgjson.MatchName(glob, swapColonSlash(e.name)) {
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

// childArgv is the nrun command line that runs one job: the options that
// shape a single run are passed on.
func childArgv(cfg *config, self string, j job) []string {
	argv := []string{self, "-C", j.pkg.Dir}
	for _, on := range []struct {
		set  bool
		flag string
	}{
		{cfg.ignoreScripts, "--ignore-scripts"},
		{cfg.silent || cfg.parallel, "-s"},
		// Jobs run at once each own their tree, so that Ctrl-C or a bail
		// leaves nothing behind; one after another, the outer nrun does.
		{cfg.supervise || cfg.parallel, "--supervise"},
	} {
		if on.set {
			argv = append(argv, on.flag)
		}
	}
	if cfg.shell != "" {
		argv = append(argv, "--shell", cfg.shell)
	}
	argv = append(argv, "--grace", cfg.grace.String(), j.script)
	if len(cfg.args) > 0 {
		argv = append(append(argv, "--"), cfg.args...)
	}
	return argv
}

func childJobs(cfg *config, self string, jobs []job, cwd string) []runner.Job {
	out := make([]runner.Job, len(jobs))
	env := cfg.environ().List()
	for i, j := range jobs {
		out[i] = runner.Job{Name: j.label, Path: self, Argv: childArgv(cfg, self, j), Env: env, Dir: cwd}
	}
	return out
}

// runSequential runs the jobs one by one, supervised, stopping at the
// first failure unless --no-bail.
func runSequential(cfg *config, self string, jobs []job, cwd string) []runner.Result {
	var results []runner.Result
	for _, j := range jobs {
		start := time.Now()
		argv := childArgv(cfg, self, j)
		plan := runner.Plan{Dir: cwd, Env: cfg.environ(), Scripts: []*runner.Script{{
			Event: j.script,
			Line:  shell.AppendArgs("", argv[1:]),
			Cmds:  []runner.Cmd{{Cmd: shell.Cmd{Kind: shell.Direct, Argv: argv}}},
		}}}
		err := runner.Run(plan, runner.Options{Supervise: true, Grace: cfg.grace})
		r := runner.Result{Name: j.label, Took: time.Since(start), Code: codeOf(err, os.Stderr)}
		if exit, ok := err.(*runner.ExitError); ok {
			r.Signal = exit.Signal
		}
		results = append(results, r)
		if r.Code != 0 && !cfg.noBail {
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
