package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nrunjs/nrun/pkgjson"
	"github.com/nrunjs/nrun/runner"
	"github.com/nrunjs/nrun/shell"
)

// runScript runs cfg.script of pkg with its hooks.
func runScript(cfg *config, pkg *pkgjson.Package, cwd string, stderr io.Writer) error {
	steps, err := scriptSteps(cfg, pkg)
	if err != nil || steps == nil {
		return err
	}
	env := runner.NpmEnv(os.Environ(), runner.Package{
		Dir: pkg.Dir, JSON: pkg.Path, Name: pkg.Name, Version: pkg.Version,
	}, cwd)
	opts := runner.Options{Shell: scriptShell(cfg)}
	if !cfg.silent && isTerminal(stderr) {
		color := colorOn(stderr)
		opts.Announce = func(st runner.Step) {
			var args []string
			if st.Event == cfg.script {
				args = cfg.args // hooks get none
			}
			banner(stderr, shell.AppendArgs(st.Script, args), color)
		}
	}
	return runner.Run(runner.Plan{Dir: pkg.Dir, Env: env, Steps: steps}, opts)
}

// scriptSteps returns the pre hook, the script and the post hook to run,
// nil when --if-present finds nothing to do, or the missing-script error.
func scriptSteps(cfg *config, pkg *pkgjson.Package) ([]runner.Step, error) {
	name := cfg.script
	line, ok := pkg.Script(name)
	if !ok && name == "start" && isFile(filepath.Join(pkg.Dir, "server.js")) {
		line, ok = "node server.js", true // npm's documented default
	}
	if !ok {
		if cfg.ifPresent {
			return nil, nil
		}
		if binExists(pkg.Dir, name) {
			// Like yarn and bun: a package's own tool runs by its name.
			return []runner.Step{newStep(name, name, cfg.args)}, nil
		}
		return nil, missingScript(pkg, name)
	}
	var steps []runner.Step
	if hook, ok := pkg.Script("pre" + name); ok && !cfg.ignoreScripts {
		steps = append(steps, newStep("pre"+name, hook, nil))
	}
	steps = append(steps, newStep(name, line, cfg.args))
	if hook, ok := pkg.Script("post" + name); ok && !cfg.ignoreScripts {
		steps = append(steps, newStep("post"+name, hook, nil))
	}
	return steps, nil
}

func newStep(event, line string, args []string) runner.Step {
	return runner.Step{Step: shell.Plan(line, args), Event: event, Script: line}
}

// binExists reports whether name is a program in some node_modules/.bin
// of the package or its ancestors.
func binExists(dir, name string) bool {
	if strings.ContainsAny(name, `/\`) {
		return false
	}
	path := strings.Join(runner.BinDirs(dir), string(os.PathListSeparator))
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
