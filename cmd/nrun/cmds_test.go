package main

// Custom testscript commands for process trees, signals and exit codes.
// Each polls every 10 ms for at most 10 s, never sleeps a fixed time. A
// pid file holds one pid per line, either bare or as the first token
// "pid=N" (the probes' "pid=N ppid=M" lines).
//
//	waitfile F...                         wait until each F exists and is non-empty
//	[!] signal SIG [PIDFILE]              send SIG to every background command, or to
//	                                      every pid in PIDFILE; ! expects every send to fail
//	[!] exitcode N|sig:NAME -- PROG ARG...  run PROG as exec does, keep its stdout and
//	                                      stderr, check it exited N or died of NAME;
//	                                      ! expects any other status
//	gone F...                             wait until no pid in the files exists (a zombie
//	                                      still counts: nobody reaped it)
//	alive F...                            every pid in the files exists and is no zombie,
//	                                      once signals already sent to it have been acted on
//	[!] pidis F1 F2                       the first pids of F1 and F2 are (! not) equal
//	cleanup F...                          at the end of the script, pass or fail, SIGKILL
//	                                      the pids in the files (those still running one
//	                                      of this test binary's personalities)
//
// On failure, a script's background commands are killed before testscript
// interrupts and waits for them (a probe that catches SIGINT would keep the
// script waiting until its self-timeout).

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
)

type tsCmd = func(ts *testscript.TestScript, neg bool, args []string)

func tsCmds() map[string]tsCmd {
	return map[string]tsCmd{
		"waitfile":  tsWaitfile,
		"waitlines": tsWaitlines,
		"signal":    tsSignal,
		"exitcode":  tsExitcode,
		"gone":      tsGone,
		"alive":     tsAlive,
		"pidis":     tsPidis,
		"cleanup":   tsCleanup,
	}
}

// tsState is per-script state of the custom commands, created by
// tsSetup and reached through ts.Value.
type tsState struct {
	ts           *testscript.TestScript // set by the first custom command
	cleanupFiles []string
}

type tsStateKey struct{}

// tsNewState registers the end-of-script cleanup for env's script.
func tsNewState(env *testscript.Env) {
	st := &tsState{}
	env.Values[tsStateKey{}] = st
	env.Defer(st.cleanup)
}

func tsStateOf(ts *testscript.TestScript) *tsState {
	st := ts.Value(tsStateKey{}).(*tsState)
	st.ts = ts
	return st
}

// cleanup runs when the script ends. It must not call ts.Fatalf.
func (st *tsState) cleanup() {
	if st.ts != nil {
		for _, c := range st.ts.BackgroundCmds() {
			_ = c.Process.Kill()
		}
	}
	for _, file := range st.cleanupFiles {
		data, _ := os.ReadFile(file)
		pids, _ := tsParsePids(string(data))
		for _, pid := range pids {
			if tsRunsPersonality(pid) {
				_ = tsSignalPid(pid, syscall.SIGKILL)
			}
		}
	}
}

func tsWaitfile(ts *testscript.TestScript, neg bool, args []string) {
	tsStateOf(ts)
	if neg || len(args) == 0 {
		ts.Fatalf("usage: waitfile file...")
	}
	for _, f := range args {
		if !probePoll(func() bool { return probeFileHasData(ts.MkAbs(f)) }) {
			ts.Fatalf("%s: still missing or empty after %v", f, probePollTimeout)
		}
	}
}

// tsWaitlines waits until file F has at least N lines: a probe's -log has
// recorded N signals, so the next one cannot overtake them.
func tsWaitlines(ts *testscript.TestScript, neg bool, args []string) {
	n := 0
	if len(args) == 2 {
		n, _ = strconv.Atoi(args[1])
	}
	if neg || n <= 0 {
		ts.Fatalf("usage: waitlines file n")
	}
	f := ts.MkAbs(args[0])
	if !probePoll(func() bool {
		data, _ := os.ReadFile(f)
		return bytes.Count(data, []byte("\n")) >= n
	}) {
		ts.Fatalf("%s: fewer than %d lines after %v", args[0], n, probePollTimeout)
	}
}

func tsSignal(ts *testscript.TestScript, neg bool, args []string) {
	tsStateOf(ts)
	if len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: signal SIG [pidfile]")
	}
	sig, err := probeParseSignal(args[0])
	ts.Check(err)
	var errs []error
	if len(args) == 2 {
		for _, pid := range tsReadPids(ts, args[1]) {
			errs = append(errs, tsSignalPid(pid, sig))
		}
	} else {
		cmds := ts.BackgroundCmds()
		if len(cmds) == 0 {
			ts.Fatalf("signal: no background commands")
		}
		for _, c := range cmds {
			errs = append(errs, c.Process.Signal(sig))
		}
	}
	sent := len(errs) - tsCountErrors(errs)
	switch {
	case !neg && sent < len(errs):
		ts.Fatalf("signal %s: %v", args[0], errors.Join(errs...))
	case neg && sent > 0:
		ts.Fatalf("signal %s: unexpectedly delivered to %d process(es)", args[0], sent)
	}
}

func tsCountErrors(errs []error) int {
	n := 0
	for _, err := range errs {
		if err != nil {
			n++
		}
	}
	return n
}

// tsStatus is how a process ended: an exit code, or a signal.
type tsStatus struct {
	code int
	sig  syscall.Signal // non-zero if the process died of a signal
}

func (s tsStatus) String() string {
	if s.sig != 0 {
		return fmt.Sprintf("killed by signal %d (%v)", int(s.sig), s.sig)
	}
	return "exit status " + strconv.Itoa(s.code)
}

func tsExitcode(ts *testscript.TestScript, neg bool, args []string) {
	tsStateOf(ts)
	if len(args) < 3 || args[1] != "--" {
		ts.Fatalf("usage: exitcode N|sig:NAME -- program [args...]")
	}
	want, err := tsParseStatus(args[0])
	ts.Check(err)
	// ts.Exec runs like exec (PATH of the script, $WORK-relative cwd,
	// stdin from the stdin command) and stores stdout and stderr.
	got, err := tsStatusOf(ts.Exec(args[2], args[3:]...))
	ts.Check(err)
	switch {
	case neg && got == want:
		ts.Fatalf("%s: %s, wanted any other status", args[2], got)
	case !neg && got != want:
		ts.Fatalf("%s: %s, wanted %s", args[2], got, want)
	}
}

func tsParseStatus(s string) (tsStatus, error) {
	if name, ok := strings.CutPrefix(s, "sig:"); ok {
		sig, err := probeParseSignal(name)
		return tsStatus{sig: sig}, err
	}
	code, err := strconv.Atoi(s)
	if err != nil {
		return tsStatus{}, fmt.Errorf("exitcode: want a number or sig:NAME, not %q", s)
	}
	return tsStatus{code: code}, nil
}

// tsStatusOf turns the error of ts.Exec into an exit status; other errors
// (not found, test timeout) come back as errors.
func tsStatusOf(err error) (tsStatus, error) {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return tsStatus{}, nil
	case !errors.As(err, &ee):
		return tsStatus{}, err
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return tsStatus{sig: ws.Signal()}, nil
	}
	return tsStatus{code: ee.ExitCode()}, nil
}

func tsGone(ts *testscript.TestScript, neg bool, args []string) {
	tsStateOf(ts)
	if neg || len(args) == 0 {
		ts.Fatalf("usage: gone pidfile... (for the opposite, use alive)")
	}
	pids := tsReadPidFiles(ts, args)
	var left []int
	gone := probePoll(func() bool {
		left = left[:0]
		for _, pid := range pids {
			if exists, _ := tsProcessState(pid); exists {
				left = append(left, pid)
			}
		}
		return len(left) == 0
	})
	if !gone {
		ts.Fatalf("still present after %v:\n%s", probePollTimeout, tsDescribeAll(left))
	}
}

func tsAlive(ts *testscript.TestScript, neg bool, args []string) {
	tsStateOf(ts)
	if neg || len(args) == 0 {
		ts.Fatalf("usage: alive pidfile... (for the opposite, use gone)")
	}
	for _, pid := range tsReadPidFiles(ts, args) {
		// A signal sent just before must not be caught in flight.
		probePoll(func() bool { return !probeSignalPending(pid) })
		if exists, zombie := tsProcessState(pid); !exists || zombie {
			ts.Fatalf("not alive: %s", probeDescribe(pid))
		}
	}
}

func tsPidis(ts *testscript.TestScript, neg bool, args []string) {
	tsStateOf(ts)
	if len(args) != 2 {
		ts.Fatalf("usage: pidis pidfile1 pidfile2")
	}
	a, b := tsReadPids(ts, args[0])[0], tsReadPids(ts, args[1])[0]
	if (a == b) == neg {
		ts.Fatalf("pid %d in %s, pid %d in %s", a, args[0], b, args[1])
	}
}

func tsCleanup(ts *testscript.TestScript, neg bool, args []string) {
	st := tsStateOf(ts)
	if neg || len(args) == 0 {
		ts.Fatalf("usage: cleanup pidfile...")
	}
	for _, f := range args {
		st.cleanupFiles = append(st.cleanupFiles, ts.MkAbs(f))
	}
}

// tsReadPids returns the pids in file, failing the script if there are none.
func tsReadPids(ts *testscript.TestScript, file string) []int {
	pids, err := tsParsePids(ts.ReadFile(file))
	if err == nil && len(pids) == 0 {
		err = errors.New("no pids")
	}
	if err != nil {
		ts.Fatalf("%s: %v", file, err)
	}
	return pids
}

func tsReadPidFiles(ts *testscript.TestScript, files []string) []int {
	var pids []int
	for _, f := range files {
		pids = append(pids, tsReadPids(ts, f)...)
	}
	return pids
}

// tsParsePids reads one pid per non-empty line: "N" or "pid=N ...".
func tsParsePids(data string) ([]int, error) {
	var pids []int
	for line := range strings.Lines(data) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimPrefix(fields[0], "pid="))
		if err != nil || pid <= 0 {
			return nil, fmt.Errorf("bad pid line %q", strings.TrimSpace(line))
		}
		pids = append(pids, pid)
	}
	return pids, nil
}

func tsDescribeAll(pids []int) string {
	var b strings.Builder
	for _, pid := range pids {
		b.WriteString("\t" + probeDescribe(pid) + "\n")
	}
	return b.String()
}
