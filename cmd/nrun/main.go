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
	return exitCode(newApp().Run(args), os.Stderr)
}
