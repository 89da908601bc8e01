package main

// nrun-probe is a helper personality of the test binary (registered in
// TestMain). package.json scripts in testdata/script call it by name, so the
// end-to-end tests need neither Node, Python nor coreutils:
//
//	nrun-probe argv ARG...                     argc and each argument, Go-quoted
//	nrun-probe env [-all] [-dups] [NAME...]    variables, the sorted environment, duplicated names
//	nrun-probe cwd                             the real working directory and $PWD
//	nrun-probe pid [-file F]                   pid=N ppid=M
//	nrun-probe exit N                          exit with status N
//	nrun-probe die SIG                         die of signal SIG (unix)
//	nrun-probe signals -ready F [-exit-on SIG] [-die-on SIG] [-log F]
//	                                           print "got NAME" for each signal caught (unix)
//	nrun-probe sigstate                        SigIgn/SigBlk/SigCgt of /proc/self/status (linux)
//	nrun-probe sleep [-ready F]                block until killed (Linux: default dispositions)
//	nrun-probe orphan -n N -pidfile F [-setsid] [-ignore-term] [-stdio] [-wait]
//	                                           leave N grandchildren running, their pids in F
//	nrun-probe zombies -n N [-pidfile F]       leave N exited, unreaped children behind
//	nrun-probe execwith [-ignore SIGS] [-block SIGS] [-env K=V]... -- PROG ARG...
//	                                           execve PROG with signals ignored/blocked and raw
//	                                           (possibly duplicated) env entries added (unix)
//	nrun-probe cat                             copy stdin to stdout
//	nrun-probe write F TEXT                    append TEXT and a newline to F
//	nrun-probe listen -addr A -log F [-hold]  listen on TCP address A, append "listening pid=N"
//	                                           (or "EADDRINUSE") to F, block until killed; with
//	                                           -hold a detached grandchild holds the socket too (unix)
//	nrun-probe noneleft F                      exit 1 if a pid in F still exists (a zombie
//	                                           too), at once, without waiting; no F is none
//	nrun-probe job -log F -name N [-hold F] [-exit N] [-say]
//	                                           append "start N" to F, wait for the file
//	                                           -hold to exist, append "end N", exit N;
//	                                           -say: print "N started", "N ending" too
//
// Every probe exits 99 after a hard self-timeout (PROBE_TIMEOUT, a Go
// duration, default 60s) and, on Linux, asks for SIGKILL when its parent dies
// (PR_SET_PDEATHSIG), so a crashed test leaks nothing. Set PROBE_PDEATHSIG=0
// where that would change what is tested: a probe supervised by nrun would
// otherwise die with nrun even if nrun arranged nothing. The hidden
// grandchildren of orphan and the children of zombies never set it, because
// outliving their parent is their point.
//
// A probe is a Go program, and the Go runtime changes signal state at start
// (see sigstate): use grep on /proc/self/status when the exact inherited
// mask matters.
//
// Exit codes of the probe itself: 2 usage, 98 unsupported on this OS, 99
// self-timeout or internal failure.

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/proctest"
)

const (
	probeName            = "nrun-probe"
	probeExitUsage       = 2
	probeExitUnsupported = 98
	probeExitInternal    = 99
	probePollTimeout     = proctest.Timeout
)

// probeSubcommands maps each subcommand to its implementation; args exclude the name.
var probeSubcommands = map[string]func(args []string) int{
	"argv":        probeArgv,
	"env":         probeEnv,
	"cwd":         probeCwd,
	"pid":         probePid,
	"exit":        probeExit,
	"die":         probeDie,
	"signals":     probeSignals,
	"sigstate":    probeSigstate,
	"nozombies":   probeNoZombies,
	"sleep":       probeSleep,
	"orphan":      probeOrphan,
	"zombies":     probeZombies,
	"execwith":    probeExecwith,
	"cat":         probeCat,
	"write":       probeWrite,
	"noneleft":    probeNoneLeft,
	"listen":      probeListen,
	"job":         probeJob,
	"_grandchild": probeGrandchild,
	"_exit0":      func([]string) int { return 0 },
}

// probeNoParentDeath lists the subcommands that must not die with their parent:
// the orphans and zombies the tests are about, and execwith, because the
// parent-death signal would survive its execve into the program under test.
var probeNoParentDeath = map[string]bool{"_grandchild": true, "_exit0": true, "execwith": true}

// probeMain is the nrun-probe personality; args are os.Args[1:].
func probeMain(args []string) int {
	if len(args) == 0 || probeSubcommands[args[0]] == nil {
		names := slices.DeleteFunc(slices.Sorted(maps.Keys(probeSubcommands)), func(name string) bool {
			return strings.HasPrefix(name, "_") // hidden helpers
		})
		return probeFail(probeExitUsage, "usage: nrun-probe %s ...", strings.Join(names, "|"))
	}
	sub := args[0]
	probeStartSelfTimeout(sub)
	if !probeNoParentDeath[sub] && os.Getenv("PROBE_PDEATHSIG") != "0" {
		probeSetPdeathsig()
	}
	return probeSubcommands[sub](args[1:])
}

// probeStartSelfTimeout makes sure no probe outlives a crashed test for long.
func probeStartSelfTimeout(sub string) {
	d := 60 * time.Second
	if s := os.Getenv("PROBE_TIMEOUT"); s != "" {
		if v, err := time.ParseDuration(s); err == nil {
			d = v
		}
	}
	time.AfterFunc(d, func() {
		fmt.Fprintf(os.Stderr, "%s %s: self-timeout after %v\n", probeName, sub, d)
		os.Exit(probeExitInternal)
	})
}

// probeFail prints one line to stderr and returns code.
func probeFail(code int, format string, args ...any) int {
	fmt.Fprintf(os.Stderr, probeName+": "+format+"\n", args...)
	return code
}

// probeFlags returns a FlagSet for a subcommand that reports errors itself.
func probeFlags(sub string) *flag.FlagSet {
	fs := flag.NewFlagSet(probeName+" "+sub, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	return fs
}

// probeParseFlags parses args and reports whether the probe should go on.
func probeParseFlags(fs *flag.FlagSet, args []string, nargs func(int) bool) bool {
	if err := fs.Parse(args); err != nil {
		return false
	}
	if nargs != nil && !nargs(fs.NArg()) {
		fmt.Fprintf(os.Stderr, "%s: wrong number of arguments\n", fs.Name())
		fs.Usage()
		return false
	}
	return true
}

func probeArgv(args []string) int {
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(w, "argc: %d\n", len(args))
	for i, a := range args {
		fmt.Fprintf(w, "%d: %s\n", i, strconv.Quote(a))
	}
	return probeFlushed(w)
}

func probeFlushed(w *bufio.Writer) int {
	if err := w.Flush(); err != nil {
		return probeFail(probeExitInternal, "%v", err)
	}
	return 0
}

func probeEnv(args []string) int {
	fs := probeFlags("env")
	all := fs.Bool("all", false, "print the whole environment, sorted")
	dups := fs.Bool("dups", false, "print the names that occur more than once")
	if !probeParseFlags(fs, args, nil) {
		return probeExitUsage
	}
	env, raw := probeRawEnviron()
	if *dups && !raw {
		return probeFail(probeExitUnsupported, "env -dups: the raw environment is not readable on this OS")
	}
	w := bufio.NewWriter(os.Stdout)
	for _, name := range fs.Args() {
		if v, ok := probeFirstValue(env, name); ok {
			fmt.Fprintf(w, "%s=%s\n", name, strconv.Quote(v))
		} else {
			fmt.Fprintf(w, "%s unset\n", name)
		}
	}
	if *all {
		for _, kv := range slices.Sorted(slices.Values(env)) {
			k, v, _ := strings.Cut(kv, "=")
			fmt.Fprintf(w, "%s=%s\n", k, strconv.Quote(v))
		}
	}
	if *dups {
		for _, name := range probeDupNames(env) {
			fmt.Fprintln(w, name)
		}
	}
	return probeFlushed(w)
}

// probeFirstValue looks name up as getenv does: the first entry wins.
func probeFirstValue(env []string, name string) (string, bool) {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

func probeDupNames(env []string) []string {
	seen := map[string]int{}
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		seen[k]++
	}
	var names []string
	for k, n := range seen {
		if n > 1 {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	return names
}

// probeCwd prints the kernel's idea of the working directory (os.Getwd
// would trust a matching $PWD) and $PWD.
func probeCwd(args []string) int {
	if len(args) != 0 {
		return probeFail(probeExitUsage, "usage: nrun-probe cwd")
	}
	dir, err := syscall.Getwd()
	if err != nil {
		return probeFail(probeExitInternal, "cwd: %v", err)
	}
	fmt.Printf("cwd=%s\n", dir)
	if pwd, ok := os.LookupEnv("PWD"); ok {
		fmt.Printf("PWD=%s\n", pwd)
	} else {
		fmt.Println("PWD unset")
	}
	return 0
}

func probePidLine() string { return fmt.Sprintf("pid=%d ppid=%d\n", os.Getpid(), os.Getppid()) }

func probePid(args []string) int {
	fs := probeFlags("pid")
	file := fs.String("file", "", "also write the line to this file (atomically)")
	if !probeParseFlags(fs, args, func(n int) bool { return n == 0 }) {
		return probeExitUsage
	}
	line := probePidLine()
	if *file != "" {
		if err := probeWriteAtomic(*file, line); err != nil {
			return probeFail(probeExitInternal, "pid: %v", err)
		}
	}
	fmt.Print(line)
	return 0
}

func probeExit(args []string) int {
	if len(args) != 1 {
		return probeFail(probeExitUsage, "usage: nrun-probe exit N")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil {
		return probeFail(probeExitUsage, "exit: %v", err)
	}
	return n // probeMain's caller exits with it
}

// probeSleep blocks until killed, with the default disposition for every
// signal the Go runtime would otherwise swallow (a Go program silently
// ignores a SIGUSR1 nobody asked for). Ignores inherited for SIGHUP and
// SIGINT are kept, as a C program would keep them.
func probeSleep(args []string) int {
	fs := probeFlags("sleep")
	ready := fs.String("ready", "", "write pid=N ppid=M here once set up")
	if !probeParseFlags(fs, args, func(n int) bool { return n == 0 }) {
		return probeExitUsage
	}
	probeDefaultDispositions()
	if *ready != "" {
		if err := probeWriteAtomic(*ready, probePidLine()); err != nil {
			return probeFail(probeExitInternal, "sleep: %v", err)
		}
	}
	select {} // the self-timeout ends this
}

func probeCat(args []string) int {
	if len(args) != 0 {
		return probeFail(probeExitUsage, "usage: nrun-probe cat")
	}
	if _, err := io.Copy(os.Stdout, os.Stdin); err != nil {
		return probeFail(probeExitInternal, "cat: %v", err)
	}
	return 0
}

func probeWrite(args []string) int {
	if len(args) != 2 {
		return probeFail(probeExitUsage, "usage: nrun-probe write FILE TEXT")
	}
	if err := probeAppendLine(args[0], args[1]); err != nil {
		return probeFail(probeExitInternal, "write: %v", err)
	}
	return 0
}

// probeJob logs its start and end to one file shared by every job of a
// run, so that the order of the lines is the order of the events.
func probeJob(args []string) int {
	fs := probeFlags("job")
	log := fs.String("log", "", "append the start and end lines here")
	name := fs.String("name", "", "the job's name in the log")
	hold := fs.String("hold", "", "wait for this file before ending")
	code := fs.Int("exit", 0, "exit with this status")
	say := fs.Bool("say", false, "print the start and the end on stdout too")
	if !probeParseFlags(fs, args, func(n int) bool { return n == 0 }) || *log == "" || *name == "" {
		return probeExitUsage
	}
	if err := probeAppendLine(*log, "start "+*name); err != nil {
		return probeFail(probeExitInternal, "job: %v", err)
	}
	if *say {
		fmt.Println(*name, "started")
	}
	if *hold != "" && !probePoll(func() bool { _, err := os.Stat(*hold); return err == nil }) {
		return probeFail(probeExitInternal, "job: %s did not appear", *hold)
	}
	if *say {
		fmt.Println(*name, "ending")
	}
	if err := probeAppendLine(*log, "end "+*name); err != nil {
		return probeFail(probeExitInternal, "job: %v", err)
	}
	return *code
}

// The handshake files of internal/proctest.
var probeAppendLine, probeWriteAtomic, probeFileHasData = proctest.AppendLine, proctest.WriteAtomic, proctest.HasData

// probePoll and probePollFor are the one poll of the tests
// (internal/proctest): every wait for another process goes through it.
var probePoll, probePollFor = proctest.Poll, proctest.PollFor

// probeOrphanOpts is the configuration of the orphan probe.
type probeOrphanOpts struct {
	n                  int
	pidfile            string
	setsid, ignoreTerm bool
	stdio, wait        bool
}

// probeNoneLeft checks, at the moment it runs, that no process listed in
// a pid file exists any more: a run that starts while something of the
// run before is left fails it.
func probeNoneLeft(args []string) int {
	if len(args) != 1 {
		return probeFail(probeExitUsage, "usage: nrun-probe noneleft F")
	}
	data, err := os.ReadFile(args[0])
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	pids, perr := tsParsePids(string(data))
	if err = errors.Join(err, perr); err != nil {
		return probeFail(probeExitInternal, "noneleft: %v", err)
	}
	for _, pid := range pids {
		if exists, _ := tsProcessState(pid); exists {
			return probeFail(1, "noneleft: %s", probeDescribe(pid))
		}
	}
	return 0
}

// probeOrphan starts n copies of itself in grandchild mode and leaves them
// running: they are reparented (to a subreaper or PID 1) when it exits.
func probeOrphan(args []string) int {
	var o probeOrphanOpts
	fs := probeFlags("orphan")
	fs.IntVar(&o.n, "n", 1, "number of grandchildren")
	fs.StringVar(&o.pidfile, "pidfile", "", "write the grandchildren's pids here, one per line (required)")
	fs.BoolVar(&o.setsid, "setsid", false, "start each grandchild in a new session (Windows: detached)")
	fs.BoolVar(&o.ignoreTerm, "ignore-term", false, "grandchildren ignore SIGTERM")
	fs.BoolVar(&o.stdio, "stdio", false, "grandchildren inherit stdio, so a reader of the pipes waits for them (default: the null device)")
	fs.BoolVar(&o.wait, "wait", false, "block until killed instead of exiting")
	if !probeParseFlags(fs, args, func(n int) bool { return n == 0 }) || o.pidfile == "" || o.n < 1 {
		return probeFail(probeExitUsage, "usage: nrun-probe orphan -n N -pidfile F [-setsid] [-ignore-term] [-stdio] [-wait]")
	}
	pids, err := probeStartGrandchildren(o)
	if err != nil {
		return probeFail(probeExitInternal, "orphan: %v", err)
	}
	var b strings.Builder
	for _, pid := range pids {
		fmt.Fprintf(&b, "%d\n", pid)
	}
	if err := probeWriteAtomic(o.pidfile, b.String()); err != nil {
		return probeFail(probeExitInternal, "orphan: %v", err)
	}
	fmt.Printf("orphaned %d\n", o.n)
	if o.wait {
		select {}
	}
	return 0
}

// probeStartGrandchildren starts the grandchildren and waits until each has
// written its ready file; on failure it kills those it started.
func probeStartGrandchildren(o probeOrphanOpts) ([]int, error) {
	dir, err := os.MkdirTemp("", "orphan")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var procs []*os.Process
	fail := func(err error) ([]int, error) {
		for _, p := range procs {
			p.Kill()
		}
		return nil, err
	}
	for i := range o.n {
		ready := filepath.Join(dir, strconv.Itoa(i))
		args := []string{"_grandchild", "-ready", ready}
		if o.ignoreTerm {
			args = append(args, "-ignore-term")
		}
		p, err := probeStartSelf(args, o.stdio, probeDetachedAttr(o.setsid))
		if err != nil {
			return fail(err)
		}
		procs = append(procs, p)
		if !probePoll(func() bool { return probeFileHasData(ready) }) {
			return fail(fmt.Errorf("grandchild %d not ready after %v", p.Pid, probePollTimeout))
		}
	}
	pids := make([]int, len(procs))
	for i, p := range procs {
		pids[i] = p.Pid
		p.Release()
	}
	return pids, nil
}

// probeStartSelf starts this executable as nrun-probe with args, with the null
// device (or, with stdio, this process's stdio) as its standard files.
func probeStartSelf(args []string, stdio bool, attr *syscall.SysProcAttr) (*os.Process, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	files := []*os.File{os.Stdin, os.Stdout, os.Stderr}
	if !stdio {
		null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
		if err != nil {
			return nil, err
		}
		defer null.Close()
		files = []*os.File{null, null, null}
	}
	// argv[0] must be the personality's name: testscript.Main dispatches on it.
	return os.StartProcess(exe, append([]string{probeName}, args...), &os.ProcAttr{Files: files, Sys: attr})
}

// probeGrandchild is one orphan: default dispositions (optionally SIGTERM
// ignored), no parent-death signal, ready file, then block until killed.
func probeGrandchild(args []string) int {
	fs := probeFlags("_grandchild")
	ready := fs.String("ready", "", "ready file")
	ignoreTerm := fs.Bool("ignore-term", false, "ignore SIGTERM")
	if !probeParseFlags(fs, args, func(n int) bool { return n == 0 }) || *ready == "" {
		return probeExitUsage
	}
	probeDefaultDispositions()
	if *ignoreTerm {
		signal.Ignore(syscall.SIGTERM)
	}
	if err := probeWriteAtomic(*ready, probePidLine()); err != nil {
		return probeFail(probeExitInternal, "_grandchild: %v", err)
	}
	select {}
}

// probeZombies starts n children that exit at once and exits without
// waiting for them, so whoever inherits them must reap them. On Linux it
// first waits until each child has exited (state Z), so n zombies are
// handed over.
func probeZombies(args []string) int {
	fs := probeFlags("zombies")
	n := fs.Int("n", 1, "number of children")
	pidfile := fs.String("pidfile", "", "write the children's pids here, one per line")
	if !probeParseFlags(fs, args, func(k int) bool { return k == 0 }) || *n < 1 {
		return probeExitUsage
	}
	var b strings.Builder
	for range *n {
		p, err := probeStartSelf([]string{"_exit0"}, false, nil)
		if err != nil {
			return probeFail(probeExitInternal, "zombies: %v", err)
		}
		if !probePoll(func() bool { return probeHasExited(p.Pid) }) {
			return probeFail(probeExitInternal, "zombies: child %d did not exit", p.Pid)
		}
		fmt.Fprintf(&b, "%d\n", p.Pid)
		p.Release()
	}
	if *pidfile != "" {
		if err := probeWriteAtomic(*pidfile, b.String()); err != nil {
			return probeFail(probeExitInternal, "zombies: %v", err)
		}
	}
	fmt.Printf("spawned %d\n", *n)
	return 0
}

// parseProbeEnv reads the lines of `nrun-probe env -all` (NAME="quoted
// value") back into NAME=value entries.
func parseProbeEnv(tb testing.TB, out []byte) []string {
	tb.Helper()
	var env []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, q, _ := strings.Cut(l, "=")
		v, err := strconv.Unquote(q)
		if err != nil {
			tb.Fatalf("nrun-probe env line %q: %v", l, err)
		}
		env = append(env, k+"="+v)
	}
	return env
}
