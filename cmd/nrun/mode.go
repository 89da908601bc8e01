package main

import (
	"os"

	"github.com/nrunjs/nrun/runner"
)

// supervising reports whether nrun stays the app's parent: when asked to,
// and as init (PID 1 unless --no-init, or --init), where an app would
// otherwise be PID 1 with no default signal actions and nobody reaping.
func (cfg *config) supervising() bool {
	return cfg.supervise || cfg.init || cfg.pidNamespace || cfg.restarting() || os.Getpid() == 1 && !cfg.noInit
}

// init asks to hear of the parent's death when the command line or the
// environment already says nrun will supervise. It must happen on the main
// thread and before anything else, and must not happen when nrun will exec
// (the request would pass to the app), so it reads the raw arguments.
func init() {
	if supervisionAsked(os.Args) {
		runner.WatchParent()
	}
}
