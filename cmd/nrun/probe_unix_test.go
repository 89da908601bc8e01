//go:build unix

package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// probeCaughtSignals is what the signals probe catches: everything a supervisor
// might forward, but not CHLD and URG (runtime noise) and not TSTP, TTIN and
// TTOU, whose default stop job control relies on.
var probeCaughtSignals = []os.Signal{
	unix.SIGHUP, unix.SIGINT, unix.SIGQUIT, unix.SIGUSR1, unix.SIGUSR2,
	unix.SIGTERM, unix.SIGWINCH, unix.SIGCONT, unix.SIGALRM, unix.SIGPIPE,
}

// probeParseSignal accepts TERM, SIGTERM, term or a number.
func probeParseSignal(name string) (syscall.Signal, error) {
	if n, err := strconv.Atoi(name); err == nil && n > 0 {
		return syscall.Signal(n), nil
	}
	s := strings.ToUpper(name)
	if !strings.HasPrefix(s, "SIG") {
		s = "SIG" + s
	}
	if sig := unix.SignalNum(s); sig != 0 {
		return sig, nil
	}
	return 0, fmt.Errorf("unknown signal %q", name)
}

// probeSignalName is "term" for SIGTERM.
func probeSignalName(sig syscall.Signal) string {
	if n := unix.SignalName(sig); n != "" {
		return strings.ToLower(strings.TrimPrefix(n, "SIG"))
	}
	return strconv.Itoa(int(sig))
}

func probeDie(args []string) int {
	if len(args) != 1 {
		return probeFail(probeExitUsage, "usage: nrun-probe die SIG")
	}
	sig, err := probeParseSignal(args[0])
	if err != nil {
		return probeFail(probeExitUsage, "die: %v", err)
	}
	return probeDieOf(sig)
}

// probeDieOf kills the process with sig. Go's runtime handler must go first: a
// Go program sent SIGUSR1 by kill ignores it, and one sent SIGSEGV or
// SIGQUIT prints a traceback and exits 2. So the handler is reset (on Linux
// to SIG_DFL directly), the signal unblocked on this thread and core dumps
// turned off. Should the process survive 10 s, it exits 128+n, loudly.
func probeDieOf(sig syscall.Signal) int {
	signal.Reset(sig)
	runtime.LockOSThread()
	_ = unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{})
	probeForceDefault(sig)
	probeSetSignalMask(false, sig)
	_ = unix.Kill(os.Getpid(), sig)
	time.Sleep(probePollTimeout) // bounded wait for an asynchronous death
	return probeFail(128+int(sig), "die: still alive %v after %v", probePollTimeout, sig)
}

// probeSignalsOpts is the configuration of the signals probe.
type probeSignalsOpts struct {
	ready, exitOn, dieOn, log string
}

// probeSignals reports each signal it catches as "got NAME" on stdout (and
// in the -log file), after announcing readiness through the -ready file.
func probeSignals(args []string) int {
	var o probeSignalsOpts
	fs := probeFlags("signals")
	fs.StringVar(&o.ready, "ready", "", "write pid=N ppid=M here once the handlers are installed (required)")
	fs.StringVar(&o.exitOn, "exit-on", "", "exit 0 after reporting this signal")
	fs.StringVar(&o.dieOn, "die-on", "", "die of this signal after reporting it")
	fs.StringVar(&o.log, "log", "", "also append each line to this file, synced")
	if !probeParseFlags(fs, args, func(n int) bool { return n == 0 }) || o.ready == "" {
		return probeFail(probeExitUsage, "usage: nrun-probe signals -ready F [-exit-on SIG] [-die-on SIG] [-log F]")
	}
	exitSig, err1 := probeOptionalSignal(o.exitOn)
	dieSig, err2 := probeOptionalSignal(o.dieOn)
	if err1 != nil || err2 != nil {
		return probeFail(probeExitUsage, "signals: %v", errors.Join(err1, err2))
	}
	c := make(chan os.Signal, 64)
	signal.Notify(c, probeCaughtSignals...)
	if err := probeWriteAtomic(o.ready, probePidLine()); err != nil {
		return probeFail(probeExitInternal, "signals: %v", err)
	}
	for s := range c {
		sig := s.(syscall.Signal)
		line := "got " + probeSignalName(sig)
		fmt.Println(line)
		if o.log != "" {
			if err := probeAppendLine(o.log, line); err != nil {
				return probeFail(probeExitInternal, "signals: %v", err)
			}
		}
		switch sig {
		case exitSig:
			return 0
		case dieSig:
			return probeDieOf(sig)
		}
	}
	return probeExitInternal
}

func probeOptionalSignal(name string) (syscall.Signal, error) {
	if name == "" {
		return 0, nil
	}
	return probeParseSignal(name)
}

// probeStringList is a repeatable string flag.
type probeStringList []string

func (l *probeStringList) String() string     { return strings.Join(*l, " ") }
func (l *probeStringList) Set(s string) error { *l = append(*l, s); return nil }

// probeExecwith replaces itself with PROG, after ignoring and blocking the
// given signals, and with the -env entries appended to the raw environment
// (so a name may occur twice). It is the "strange parent" of signal-state
// and environment tests.
func probeExecwith(args []string) int {
	fs := probeFlags("execwith")
	ignore := fs.String("ignore", "", "comma-separated signals to set to SIG_IGN")
	block := fs.String("block", "", "comma-separated signals to block")
	var env probeStringList
	fs.Var(&env, "env", "a NAME=value entry to append to the environment (repeatable)")
	if !probeParseFlags(fs, args, func(n int) bool { return n >= 1 }) {
		return probeExitUsage
	}
	ign, err1 := probeParseSignalList(*ignore)
	blk, err2 := probeParseSignalList(*block)
	prog, err3 := exec.LookPath(fs.Arg(0))
	if err := errors.Join(err1, err2, err3); err != nil {
		return probeFail(probeExitUsage, "execwith: %v", err)
	}
	for _, s := range ign {
		signal.Ignore(s)
	}
	// The blocked mask is per thread and execve keeps the calling thread's.
	runtime.LockOSThread()
	probeSetSignalMask(true, blk...)
	environ, _ := probeRawEnviron()
	err := syscall.Exec(prog, fs.Args(), append(environ, env...))
	return probeFail(126, "execwith: %s: %v", prog, err)
}

func probeParseSignalList(list string) ([]syscall.Signal, error) {
	var sigs []syscall.Signal
	for name := range strings.SplitSeq(list, ",") {
		if name == "" {
			continue
		}
		sig, err := probeParseSignal(name)
		if err != nil {
			return nil, err
		}
		sigs = append(sigs, sig)
	}
	return sigs, nil
}

// probeDetachedAttr starts a grandchild in its own session when setsid is set.
func probeDetachedAttr(setsid bool) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setsid: setsid}
}

// probeListen is a server on a fixed port, as restart tests need: it
// logs whether it could listen. With -hold it leaves a detached
// grandchild with the listening socket, as an app's worker would inherit
// it: the port stays taken until that grandchild is gone too.
func probeListen(args []string) int {
	fs := probeFlags("listen")
	addr := fs.String("addr", "", "TCP address")
	log := fs.String("log", "", "append the outcome here (required)")
	hold := fs.Bool("hold", false, "a detached grandchild holds the socket too")
	if !probeParseFlags(fs, args, func(n int) bool { return n == 0 }) || *addr == "" || *log == "" {
		return probeFail(probeExitUsage, "usage: nrun-probe listen -addr A -log F [-hold]")
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			_ = probeAppendLine(*log, "EADDRINUSE")
			return 3
		}
		return probeFail(probeExitInternal, "listen: %v", err)
	}
	if *hold {
		f, err := l.(*net.TCPListener).File()
		if err != nil {
			return probeFail(probeExitInternal, "listen: %v", err)
		}
		exe, _ := os.Executable()
		null, _ := os.Open(os.DevNull)
		p, err := os.StartProcess(exe, []string{probeName, "sleep"}, &os.ProcAttr{
			Files: []*os.File{null, null, null, f}, Sys: probeDetachedAttr(true),
			Env: append(os.Environ(), "PROBE_PDEATHSIG=0"),
		})
		if err != nil {
			return probeFail(probeExitInternal, "listen: %v", err)
		}
		_ = probeAppendLine(*log, fmt.Sprintf("holder pid=%d", p.Pid))
	}
	if err := probeAppendLine(*log, "listening "+strings.TrimSpace(probePidLine())); err != nil {
		return probeFail(probeExitInternal, "listen: %v", err)
	}
	select {}
}
