package runner

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/nrunjs/nrun/shell"
)

// Script is one package.json script run as one npm lifecycle event.
type Script struct {
	Event string // npm_lifecycle_event while it runs ("prestart" for a hook)
	Line  string // npm_lifecycle_script: the line as written in package.json
	// Env is the environment its commands start with, built once by the
	// planner (ScriptEnv), which also planned the line in it.
	Env  Env
	Cmds []Cmd
}

// Cmd is one command of a script. A nested runner call (Kind shell.Run)
// carries the scripts it runs in place: hooks and the script, in order.
type Cmd struct {
	shell.Cmd
	Scripts []*Script
}

// Plan is everything Run needs: where, with what environment, and what.
type Plan struct {
	Dir     string    // the package directory: where every script starts
	Env     Env       // the environment before per-script variables (shown by --explain)
	Scripts []*Script // run in order while each succeeds: pre hook, script, post hook
}

// Options are the choices the command line makes about how to run.
type Options struct {
	// Shell runs shell commands as `Shell -c LINE`; "" means /bin/sh.
	Shell string
	// Supervise keeps nrun as the parent of the last program as well, in
	// its own process group, and tears its whole tree down when it ends.
	Supervise bool
	// Grace is the time between SIGTERM and SIGKILL in a teardown.
	Grace time.Duration
	// PIDNamespace runs each supervised program under an nrun that is
	// PID 1 of a new PID namespace (Linux), so the kernel ends the whole
	// tree even when nrun is killed with SIGKILL.
	PIDNamespace bool
	// Announce, if set, is called when a script starts.
	Announce func(*Script)
	// Notice, if set, is given the one-line warnings nrun may print.
	Notice func(string)
	// AllowBreakaway lets a program the script starts with
	// CREATE_BREAKAWAY_FROM_JOB leave nrun's Job Object (Windows).
	AllowBreakaway bool
	// Background keeps the terminal's foreground with nrun instead of
	// handing it to a supervised program, so that Ctrl-C reaches nrun
	// (which forwards it) and nrun may read the terminal itself. Restart
	// loops need both: the Ctrl-C must end the loop, not just one run.
	Background bool
	// Cancel, once closed, ends the run from outside: nothing more starts,
	// and the running program's group gets SIGTERM, then SIGKILL after
	// Grace (Windows: the program is terminated). Run still tears the
	// whole tree down before it returns.
	Cancel <-chan struct{}
	// Halt, once stopped, says that nrun was told to stop by a signal that
	// whoever loops around Run heard: see Halt. nil: never.
	Halt *Halt
}

// child says how supervise starts and ends one program.
type child struct {
	stdio      [3]*os.File   // its standard files; nil ones are nrun's own
	pidns      time.Duration // > 0: as PID 1 of a new PID namespace, with this grace
	background bool          // never hand it the terminal
	oneOfMany  bool          // a job of a parallel run: no terminal, no job control
	cancel     <-chan struct{}
	halt       *Halt
	grace      time.Duration
	notice     func(string) // for what nrun must say about it, nil: nothing
}

// stopped records that nrun itself was told to stop while it supervised:
// a SIGTERM, SIGINT, SIGHUP or SIGQUIT it did not inherit ignored, its
// parent's death, or a program killed by the terminal's Ctrl-C.
var stopped atomic.Bool

// Stopped reports whether nrun was told to stop during a supervised run,
// so that a loop around Run knows not to run again.
func Stopped() bool { return stopped.Load() }

// ExitError reports a plan that ended unsuccessfully: by exiting with a
// non-zero code or, when Signal is non-zero, by dying of that signal.
type ExitError struct {
	Code   int
	Signal syscall.Signal
}

func (e *ExitError) Error() string {
	if e.Signal != 0 {
		return fmt.Sprintf("killed by signal %d", int(e.Signal))
	}
	return fmt.Sprintf("exit status %d", e.Code)
}

// status is a command's outcome as sh sees it; sig is set for a death by
// signal, and stop when nrun itself was told to stop meanwhile, so that
// nothing more runs (as sh would have died of that signal too).
type status struct {
	code int
	sig  syscall.Signal
	stop bool
}

func (s status) ok() bool { return s.code == 0 }

// signaled is the status of a death by signal s: 128+s, as sh reports it.
func signaled(s syscall.Signal) status { return status{code: 128 + int(s), sig: s} }

// run is one execution of a plan.
type run struct {
	dir       string
	opts      Options
	stdio     [3]*os.File // the programs' standard files; nil ones are nrun's own
	oneOfMany bool        // a job of a parallel run: no terminal, no job control
	group     int         // process group of the last supervised child
}

// say writes one of nrun's own lines about the run where the run's
// output goes, so that a job's messages carry the job's prefix.
func (r *run) say(format string, args ...any) {
	w := io.Writer(os.Stderr)
	if r.stdio[2] != nil {
		w = r.stdio[2]
	}
	fmt.Fprintf(w, "nrun: "+format+"\n", args...)
}

// Run runs the plan. It returns nil on success, an *ExitError when a
// script failed, or the error that kept a program from starting.
func Run(p Plan, o Options) error {
	r := &run{dir: p.Dir, opts: o}
	// Where nrun cannot exec (Windows) it supervises every program, asked
	// or not, and must own the tree (its Job Object) before the first start.
	supervising := o.Supervise || !CanExec
	if supervising {
		ownTree(o)
	}
	st, err := r.scripts(p.Scripts, true)
	if supervising {
		teardown(r.group, o.Grace, true)
	}
	if err != nil {
		return err
	}
	if !st.ok() {
		return &ExitError{Code: st.code, Signal: st.sig}
	}
	return nil
}

// ownTree makes nrun the owner of every process a supervised run starts
// (a subreaper, or on Windows a Job Object) before the first start.
// Why it cannot is said once: a run of several jobs asks for each.
func ownTree(o Options) {
	if err := becomeSubreaper(o); err != nil && os.Getpid() != 1 && o.Notice != nil {
		ownTreeWarned.Do(func() { o.Notice(err.Error()) })
	}
}

var ownTreeWarned sync.Once

var errNoSubreaper = errors.New("no subreaper on this system: descendants that leave the app's process group are not torn down")

// scripts runs scripts in order while each succeeds, as npm runs a script
// between its hooks. last is true when nothing runs after them.
func (r *run) scripts(list []*Script, last bool) (status, error) {
	var st status
	for i, s := range list {
		var err error
		st, err = r.script(s, last && i == len(list)-1)
		if err != nil || !st.ok() || st.stop {
			return st, err
		}
	}
	return st, nil
}

// script runs one script's and-or list with sh's rules, in a state of its
// own (directory and exports), as each npm script has a shell of its own.
func (r *run) script(s *Script, last bool) (status, error) {
	if r.opts.Announce != nil {
		r.opts.Announce(s)
	}
	sh := shellState{dir: r.dir, env: s.Env}
	var st status
	for i, c := range s.Cmds {
		if c.Op == shell.And && !st.ok() || c.Op == shell.Or && st.ok() {
			continue
		}
		var err error
		st, err = r.command(&sh, c, last && i == len(s.Cmds)-1)
		sh.last = st // $? of sh: the status of the last command that ran
		if err != nil || st.stop || c.Exec || c.Kind == shell.Exit {
			return st, err
		}
	}
	return st, nil
}

// command runs one command; last is true when it is the plan's final one.
func (r *run) command(sh *shellState, c Cmd, last bool) (status, error) {
	switch c.Kind {
	case shell.Status:
		return status{code: c.Code}, nil
	case shell.Exit:
		if c.Code < 0 {
			return sh.last, nil
		}
		return status{code: c.Code}, nil
	case shell.Cd:
		return sh.cd(c.Argv[0], r.say), nil
	case shell.Export, shell.Assign:
		sh.set(c.Env, c.Kind == shell.Export)
		return status{}, nil
	case shell.Run:
		if len(c.Scripts) == 0 { // --if-present and no such script
			return status{}, nil
		}
		// The planner planned them in the environment the call gives
		// them: the line's exports, npm's flags in the call, INIT_CWD.
		return r.scripts(c.Scripts, last)
	}
	return r.start(sh, c, last)
}

// start runs a program: it replaces nrun when it is the last one and may,
// else nrun waits for it.
func (r *run) start(sh *shellState, c Cmd, last bool) (status, error) {
	env := sh.env
	if len(c.Env) > 0 {
		env = env.Clone()
		for _, kv := range c.Env {
			env.SetPair(kv) // the line's own assignments win, as in sh
		}
	}
	path, argv, err := resolve(c.Cmd, r.opts.Shell, env, sh.dir)
	if err != nil {
		return r.startFailed(err)
	}
	if r.opts.Execs(c, last) {
		return r.startFailed(execve(path, argv, env.List(), sh.dir)) // returns only on failure
	}
	how := child{stdio: r.stdio, oneOfMany: r.oneOfMany, background: r.opts.Background,
		cancel: r.opts.Cancel, halt: r.opts.Halt, grace: r.opts.Grace, notice: r.opts.Notice}
	if r.opts.PIDNamespace {
		how.pidns = max(r.opts.Grace, time.Millisecond)
	}
	if canceled(r.opts.Cancel) {
		st := signaled(syscall.SIGTERM)
		st.stop = true
		return st, nil
	}
	if canceled(r.opts.Halt.Done()) {
		return r.opts.Halt.status(), nil
	}
	var st status
	r.group, st, err = supervise(path, argv, env.List(), sh.dir, how)
	if err != nil {
		return r.startFailed(err)
	}
	// A child killed by the terminal's Ctrl-C or Ctrl-\ ends the run, as
	// bash ends a script whose command died of SIGINT: the shell npm
	// starts would have got the same signal.
	st.stop = st.stop || st.sig == syscall.SIGINT || st.sig == syscall.SIGQUIT
	if st.stop {
		stopped.Store(true)
	}
	st.stop = st.stop || canceled(r.opts.Cancel) || canceled(r.opts.Halt.Done())
	return st, nil
}

func canceled(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// startFailed turns a program that could not start into the status sh
// gives it, 127 or 126, so that a list goes on as it would under sh
// ("a || b" runs b when a is not found). Other errors end the run.
func (r *run) startFailed(err error) (status, error) {
	code := 0
	switch {
	case errors.Is(err, ErrNotFound):
		code = 127
	case errors.Is(err, ErrNotExecutable):
		code = 126
	default:
		return status{}, err
	}
	r.say("%v", err)
	return status{code: code}, nil
}

// Execs reports whether a program replaces nrun: only the plan's last
// one, when nrun need not supervise it and the OS can.
func (o Options) Execs(c Cmd, last bool) bool {
	return last && CanExec && !o.Supervise && !c.Supervise
}

// resolve returns the file to start for a command and its argv. argv[0]
// stays as written, as sh leaves it; the file is found as the script's
// shell would find it (lookCommand). A shell line gets its extra
// arguments quoted here, for the shell that will read them.
func resolve(c shell.Cmd, sh string, env Env, dir string) (string, []string, error) {
	argv := c.Argv
	defaulted := false
	if c.Kind == shell.Shell {
		if sh == "" {
			sh, defaulted = defaultShell(), true
		}
		var err error
		if argv, err = shellArgv(sh, c, env, dir); err != nil {
			return "", nil, err
		}
	}
	path, err := lookCommand(argv[0], env, dir)
	if err != nil {
		return "", nil, err
	}
	if defaulted && defaultShellArg0 != "" {
		argv[0] = defaultShellArg0 // the line's $0, as npm's `sh -c` gives it
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	return path, argv, nil
}
