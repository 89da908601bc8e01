package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/nrunjs/nrun/internal/envfile"
	"github.com/nrunjs/nrun/internal/npmconfig"
	"github.com/nrunjs/nrun/pkgjson"
	"github.com/nrunjs/nrun/runner"
)

// version and commit are set at link time by releases.
var (
	version = "dev"
	commit  = ""
)

// config is everything the command line decides.
type config struct {
	prefix          string
	ifPresent       bool
	ignoreScripts   bool
	silent          bool
	shell           string
	list            bool
	json            bool
	version         bool
	completionNames bool
	explain         bool
	supervise       bool
	init            bool
	noInit          bool
	grace           time.Duration
	pidNamespace    bool
	breakaway       bool
	restart         string        // "", "on-failure" or "always"
	restartMax      int           // restarts before giving up; < 0: no limit
	restartDelay    time.Duration // the first pause before a restart
	watch           bool
	watchPaths      []string // watched instead of the package directory
	watchIgnore     []string // globs skipped besides the built-in list
	watchDelay      time.Duration
	workspace       []string // -w: workspace names or paths
	workspaces      bool
	includeRoot     bool
	parallel        bool
	sequential      bool
	bail            bool
	noBail          bool
	topological     bool
	maxParallel     int
	race            bool
	aggregate       bool
	report          string
	scripts         []string // with --parallel or --sequential: names or globs
	script          string   // "" lists the scripts
	args            []string // passed to the script verbatim
	npmEnv          []string // npm_config_* from npm's flags in npm's spelling
	dashDash        bool     // the arguments followed an explicit "--"
	workspaceRun    bool     // the jobs are workspaces' (-w, --workspaces): npm's user agent says so
	binWarned       bool     // the outer nrun of a multi-job run has reported skipped .bin dirs

	// --env-file and --env-file-if-exists in the order given, and what
	// they gave once read (envfiles.go).
	envFiles  []envfile.File
	envLoaded []envfile.Loaded
}

// defaultGrace is --grace when none is given.
const defaultGrace = 10 * time.Second

// defaultRestartDelay is --restart-delay when none is given.
const defaultRestartDelay = 100 * time.Millisecond

// defaultWatchDelay is --watch-delay when none is given.
const defaultWatchDelay = 200 * time.Millisecond

// newApp is nrun's command line; act runs what it decided.
func newApp(act func(*config) error) *cli.App {
	cfg := newConfig()
	return &cli.App{
		Name:      "nrun",
		Usage:     "run package.json scripts without a wrapper process",
		UsageText: "nrun [options] [run|run-script] <script> [args...]\nnrun [options]    (list the scripts)",
		// --version is nrun's own flag so that build information is read
		// only when asked for.
		HideVersion:           true,
		Flags:                 cliFlags(cfg),
		HideHelpCommand:       true,
		CustomAppHelpTemplate: helpText(),
		// A -w value is one name even with a comma in it, as in npm.
		DisableSliceFlagSeparator: true,
		Writer:                    os.Stdout,
		ErrWriter:                 os.Stderr,
		// nrun's errors are printed and mapped to exit codes in one place;
		// urfave/cli must neither print them nor call os.Exit.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError{err}
		},
		Action: func(c *cli.Context) error {
			if done, err := completionAction(c, cfg); done { // nrun completion bash|zsh|fish
				return err
			}
			if cfg.version {
				_, err := fmt.Fprintln(os.Stdout, "nrun", versionString())
				return err
			}
			takeLists(c, cfg)
			cfg.takeArgs(c.Args().Slice())
			return act(cfg)
		},
	}
}

// takeArgs splits the positional arguments: the script name, then its
// arguments verbatim, minus one "--" right after the name (npm's habit).
// After npm's own "run" or "run-script" the rest is read as npm reads it
// (takeNpmRun).
func (cfg *config) takeArgs(args []string) {
	if len(args) > 0 && isNpmRun(args[0]) {
		args = cfg.takeNpmRun(args[1:])
		if len(args) > 0 && !cfg.parallel && !cfg.sequential {
			cfg.script, cfg.args = args[0], args[1:]
			return
		}
	}
	if len(args) == 0 {
		return
	}
	if cfg.parallel || cfg.sequential {
		// Several scripts: every name until "--", then the arguments for each.
		cfg.scripts = args
		if i := slices.Index(args, "--"); i >= 0 {
			cfg.scripts, cfg.args = args[:i], args[i+1:]
		}
		if len(cfg.scripts) > 0 {
			cfg.script = cfg.scripts[0]
		}
		return
	}
	cfg.script, args = args[0], args[1:]
	if len(args) > 0 && args[0] == "--" {
		args, cfg.dashDash = args[1:], true
	}
	cfg.args = args
}

// isNpmRun reports npm's names for its run-script command.
func isNpmRun(word string) bool {
	switch word {
	case "run", "run-script", "rum", "urn":
		return true
	}
	return false
}

// takeNpmRun reads what follows "run" as npm 11 does, for the tools that
// call nrun back through $npm_execpath: npm's flags anywhere before "--"
// (after the script name too) are npm's, the settings nrun knows take
// effect, every setting becomes an npm_config_* variable as npm exports
// it, and the positional arguments are the script and its arguments.
func (cfg *config) takeNpmRun(args []string) []string {
	cwd, _ := os.Getwd()
	home, _ := os.UserHomeDir()
	r := npmconfig.Parse(args, npmconfig.Context{Dir: cwd, Home: home, Lookup: os.LookupEnv})
	if level, _ := r.String("loglevel"); level == "silent" {
		cfg.silent = true
	}
	cfg.ifPresent = cfg.ifPresent || r.Bool("if-present")
	cfg.ignoreScripts = cfg.ignoreScripts || r.Bool("ignore-scripts")
	cfg.workspaces = cfg.workspaces || r.Bool("workspaces")
	cfg.includeRoot = cfg.includeRoot || r.Bool("include-workspace-root")
	cfg.workspace = append(cfg.workspace, r.List("workspace")...)
	if prefix, ok := r.String("prefix"); ok && prefix != "" {
		cfg.prefix = prefix
	}
	if sh, ok := r.String("script-shell"); ok {
		cfg.shell = sh
	}
	// npm has no "explain" setting; a preview asked for anywhere must never
	// run anything, so nrun's --explain wins over npm's reading.
	if r.Given("explain") {
		cfg.explain = true
		r.Drop("explain")
	}
	cfg.npmEnv = r.Env()
	return r.Args
}

// environ is nrun's environment with the npm settings of the command line,
// for the nruns that run the jobs of a multi-job run.
func (cfg *config) environ() runner.Env {
	env := runner.NewEnv(os.Environ())
	for _, kv := range cfg.npmEnv {
		env.SetPair(kv)
	}
	return env
}

// userAgent is npm_config_user_agent as nrun sets it: npm's form, led by
// the npm whose command line nrun follows, so that tools that tell
// package managers apart by it treat nrun as npm, then nrun itself where
// npm names the node running it (nrun runs none). Its workspaces word is
// npm's in workspace runs (-w, --workspaces); a single run inside a
// workspace says false, where npm, which always looks for the root, says
// true: nrun does not look for a root unless asked to.
func userAgent(workspaces bool) string {
	return "npm/" + npmconfig.NpmVersion + " nrun/" + version + " " + platform() + " " + arch() + " workspaces/" + strconv.FormatBool(workspaces)
}

// platform and arch are Node's names (process.platform, process.arch).
func platform() string {
	if runtime.GOOS == "windows" {
		return "win32"
	}
	return runtime.GOOS
}

func arch() string {
	switch runtime.GOARCH {
	case "amd64":
		return "x64"
	case "386":
		return "ia32"
	}
	return runtime.GOARCH
}

// runConfig finds the package and either lists its scripts or runs one.
func runConfig(cfg *config, stdout, stderr io.Writer) error {
	// The physical directory, as Node's process.cwd() gives npm: INIT_CWD
	// and the package found from it then match npm's under symlinks.
	cwd, err := syscall.Getwd()
	if err != nil {
		return fmt.Errorf("cannot read the working directory: %w", err)
	}
	start := cwd
	if cfg.prefix != "" {
		start = cfg.prefix
	}
	path, err := pkgjson.Find(start)
	if err != nil {
		return err
	}
	pkg, err := pkgjson.Load(path)
	if err != nil {
		return err
	}
	if err := cfg.checkParallelOptions(); err != nil {
		return err
	}
	if cfg.multiRun() {
		return runMulti(cfg, pkg, cwd, stdout, stderr)
	}
	if cfg.script == "" || cfg.list || cfg.json && !cfg.explain {
		if cfg.json {
			return listJSON(stdout, pkg)
		}
		return list(stdout, pkg, colorOn(stdout))
	}
	if err := workspaceFlagAfterName(cfg, pkg, cwd); err != nil {
		return err
	}
	return runScript(cfg, pkg, cwd, stderr)
}

// versionString names the release and commit: from the linker flags of a
// release build, else from what `go install` recorded.
func versionString() string {
	v, c := version, commit
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && c == "" {
				c = s.Value
			}
		}
	}
	if c != "" {
		return v + " (commit " + c + ")"
	}
	return v
}
