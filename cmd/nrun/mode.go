package main

import (
	"os"

	"github.com/nrunjs/nrun/runner"
)

// supervising reports whether nrun stays the app's parent: when asked to,
// and as init (PID 1 unless --no-init, or --init), where an app would
// otherwise be PID 1 with no default signal actions and nobody reaping.
func (cfg *config) supervising() bool {
	return cfg.supervise || cfg.init || cfg.pidNamespace || os.Getpid() == 1 && !cfg.noInit
}

// init asks to hear of the parent's death when the command line or the
// environment already says nrun will supervise. It must happen on the main
// thread and before anything else, and must not happen when nrun will exec
// (the request would pass to the app), so it reads the raw arguments.
func init() {
	if envTrue("NRUN_SUPERVISE") || envTrue("NRUN_PID_NAMESPACE") || optionGiven(os.Args, "--supervise", "--init", "--pid-namespace") {
		runner.WatchParent()
	}
}

// optionGiven reports whether one of names appears among the options,
// which end at the first argument that is not an option.
func optionGiven(args []string, names ...string) bool {
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "" || a[0] != '-' || a == "--" {
			return false
		}
		switch a {
		case "-C", "--prefix", "-prefix", "--shell", "-shell", "--grace", "-grace":
			i++ // its value
		}
		for _, n := range names {
			if a == n || a == "-"+n {
				return true
			}
		}
	}
	return false
}

func envTrue(name string) bool {
	v := os.Getenv(name)
	return v == "1" || v == "true"
}
