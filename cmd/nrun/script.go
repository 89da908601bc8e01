package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/nrunjs/nrun/internal/quote"
	"github.com/nrunjs/nrun/pkgjson"
	"github.com/nrunjs/nrun/runner"
)

// runScript runs cfg.script of pkg with its hooks.
func runScript(cfg *config, pkg *pkgjson.Package, cwd string, stderr io.Writer) error {
	bins := findBinDirs(pkg.Dir)
	if !cfg.binWarned {
		warnSkipped(stderr, bins.Skipped)
	}
	if err := cfg.checkRestart(); err != nil {
		return err
	}
	// newPlan reads the env files and plans the script in the environment
	// they give: once, or before every run of a --watch loop, which reads
	// the files again.
	newPlan := func() (runner.Plan, string, error) {
		// The env files go under the inherited environment, and npm's own
		// variables over both, before anything runs.
		if err := cfg.loadEnvFiles(); err != nil {
			return runner.Plan{}, "", err
		}
		env := scriptEnv(cfg, os.Environ(), pkg, bins, cwd)
		scripts, note, err := planScripts(cfg, pkg, env, bins.Dirs)
		return runner.Plan{Dir: pkg.Dir, Env: env, Scripts: scripts}, note, err
	}
	plan, note, err := newPlan()
	if err != nil || plan.Scripts == nil {
		return err
	}
	scripts := plan.Scripts
	opts := runner.Options{Shell: scriptShell(cfg), Supervise: cfg.supervising(), Grace: cfg.grace, PIDNamespace: cfg.pidNamespace, AllowBreakaway: cfg.breakaway}
	if !cfg.silent {
		opts.Notice = warner(stderr)
	}
	if cfg.explain {
		x := newExplained(plan, opts, bins, pkg.Path, note)
		x.Files, x.Restart, x.Watch = cfg.explainEnvFiles(), cfg.explainRestart(), cfg.explainWatch(plan.Dir)
		return explain(os.Stdout, x, cfg.json)
	}
	if !cfg.silent && isTerminal(stderr) {
		opts.Announce = announcer(cfg, stderr, scripts, cfg.script)
	}
	if !cfg.restarting() {
		return runner.Run(plan, opts)
	}
	return runLoop(cfg, plan, opts, stderr, newPlan)
}

// warner prints the runner's notices as nrun's warnings.
func warner(stderr io.Writer) func(string) {
	return func(msg string) { fmt.Fprintf(stderr, "nrun: warning: %s\n", msg) }
}

// announcer shows each script's line as it starts, the extra arguments
// after the named script's (hooks get none).
func announcer(cfg *config, stderr io.Writer, scripts []*runner.Script, name string) func(*runner.Script) {
	if len(scripts) == 0 {
		return nil
	}
	color := colorOn(stderr)
	main := scripts[len(scripts)-1]
	for _, s := range scripts {
		if s.Event == name {
			main = s
		}
	}
	return func(s *runner.Script) {
		var args []string
		if s == main {
			args = cfg.args // hooks get none
		}
		banner(stderr, quote.AppendSh(s.Line, args), color)
	}
}

// scriptEnv is the environment a package's scripts start from: environ
// with the env files under it, npm's variables over both, and the npm
// settings of the command line last, as npm exports them. A run and the
// --explain of a multi-job run's job build it here alike.
func scriptEnv(cfg *config, environ []string, pkg *pkgjson.Package, bins runner.BinPath, cwd string) runner.Env {
	env := runner.NpmEnv(cfg.withEnvFiles(environ), runner.Package{Dir: pkg.Dir, JSON: pkg.Path, Vars: pkg.NpmVars(), UserAgent: userAgent(cfg.workspaceRun), BinDirs: bins.Dirs}, cwd)
	for _, kv := range cfg.npmEnv {
		env.SetPair(kv)
	}
	if cfg.breakaway {
		env.Set("NRUN_ALLOW_BREAKAWAY", "1") // nested nruns allow it too
	}
	return env
}

// runLoop runs the plan as --restart and --watch ask; under --watch each
// run after the first is planned anew, so that env files are read again.
func runLoop(cfg *config, plan runner.Plan, opts runner.Options, stderr io.Writer, newPlan func() (runner.Plan, string, error)) error {
	// The terminal stays with nrun, so that Ctrl-C ends the loop, not
	// just the run, and "rs" typed reaches nrun.
	opts.Background = true
	loop := newRestartLoop(cfg)
	if cfg.watching() {
		changes, stop, err := watchChanges(cfg, plan.Dir)
		if err != nil {
			return err
		}
		defer stop()
		loop.changes = changes
	}
	if !cfg.silent && isTerminal(stderr) {
		loop.notify = restartNotice(stderr, colorOn(stderr), plan.Dir)
	}
	first := true
	return loop.run(opts, func(o runner.Options) error {
		if !first && cfg.watching() && len(cfg.envFiles) > 0 {
			cfg.envLoaded = nil
			p, _, err := newPlan()
			if err != nil {
				return err
			}
			plan = p
		}
		first = false
		return runner.Run(plan, o)
	})
}

// findBinDirs is the one place that decides which node_modules/.bin
// directories a package gets on PATH; nested nruns inherit
// NRUN_TRUST_BIN_DIRS and decide the same way.
func findBinDirs(dir string) runner.BinPath {
	return runner.FindBinDirs(dir, os.Getenv(runner.TrustBinDirsVar))
}

// warnSkipped prints one line for each ancestor's node_modules/.bin left
// off PATH: a security warning, so -s does not silence it.
func warnSkipped(w io.Writer, skipped []runner.SkippedBinDir) {
	for _, s := range skipped {
		fmt.Fprintf(w, "nrun: warning: not using %s: %s (list it in %s to use it anyway)\n", s.Dir, s.Reason, runner.TrustBinDirsVar)
	}
}

// binExists reports whether name is a program in one of the node_modules/.bin
// directories the script's PATH gets.
func binExists(dir string, bins []string, name string) bool {
	if strings.ContainsAny(name, `/\`) {
		return false
	}
	path := strings.Join(bins, string(os.PathListSeparator))
	_, err := runner.LookPath(name, path, dir)
	return err == nil
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// scriptShell picks the shell for lines that need one: --shell, then npm's
// script-shell setting, then the platform default.
func scriptShell(cfg *config) string {
	if cfg.shell != "" {
		return cfg.shell
	}
	return os.Getenv("npm_config_script_shell")
}

// banner shows what is about to run, as npm's "> command" lines do.
func banner(w io.Writer, line string, color bool) {
	if color {
		fmt.Fprintf(w, "\x1b[2m$ %s\x1b[0m\n", line)
		return
	}
	fmt.Fprintf(w, "$ %s\n", line)
}
