// Command nrun runs package.json scripts the way `npm run` does, without a
// wrapper process: on Unix the script's program replaces nrun.
package main

import (
	"os"

	"github.com/nrunjs/nrun/runner"
)

func main() { os.Exit(run(os.Args)) }

// run is nrun's whole life: it returns the exit code after every deferred
// cleanup has run, so main alone calls os.Exit.
func run(args []string) int {
	if code, ok := runner.NSInit(args[1:]); ok {
		return code // nrun as init of its own PID namespace (--pid-namespace)
	}
	act := func(cfg *config) error { return runConfig(cfg, os.Stdout, os.Stderr) }
	if cfg, ok := plainInvocation(args); ok {
		return exitCode(act(cfg), os.Stderr)
	}
	return exitCode(newApp(act).Run(args), os.Stderr)
}

// plainInvocation reads `nrun SCRIPT [ARGS...]` — no option before the
// script, as Dockerfiles, unit files and most people call nrun — without
// building the command-line parser, which would only split the arguments
// and costs a tenth of a millisecond. Anything else, and any environment
// variable that stands for an option, goes through the parser.
func plainInvocation(args []string) (*config, bool) {
	if len(args) < 2 || args[1] == "" || args[1][0] == '-' || args[1] == "completion" {
		return nil, false
	}
	if optionEnvSet() {
		return nil, false
	}
	cfg := newConfig()
	cfg.takeArgs(args[1:])
	return cfg, true
}
