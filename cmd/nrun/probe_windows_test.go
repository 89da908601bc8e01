package main

import (
	"fmt"
	"strings"
	"syscall"

	"golang.org/x/sys/windows"
)

// probeWindowsSignals are the names Go defines on Windows; only KILL can be sent.
var probeWindowsSignals = map[string]syscall.Signal{
	"HUP": syscall.SIGHUP, "INT": syscall.SIGINT, "QUIT": syscall.SIGQUIT,
	"ABRT": syscall.SIGABRT, "KILL": syscall.SIGKILL, "SEGV": syscall.SIGSEGV,
	"PIPE": syscall.SIGPIPE, "ALRM": syscall.SIGALRM, "TERM": syscall.SIGTERM,
}

func probeParseSignal(name string) (syscall.Signal, error) {
	if sig, ok := probeWindowsSignals[strings.TrimPrefix(strings.ToUpper(name), "SIG")]; ok {
		return sig, nil
	}
	return 0, fmt.Errorf("unknown signal %q", name)
}

func probeUnsupported(sub string) func([]string) int {
	return func([]string) int {
		return probeFail(probeExitUnsupported, "%s: unsupported on windows", sub)
	}
}

var (
	probeDie      = probeUnsupported("die")
	probeSignals  = probeUnsupported("signals")
	probeExecwith = probeUnsupported("execwith")
	probeListen   = probeUnsupported("listen")
)

// probeDetachedAttr starts a grandchild without a console and in its own process
// group when setsid is set, the Windows idea of a daemon.
func probeDetachedAttr(setsid bool) *syscall.SysProcAttr {
	if !setsid {
		return nil
	}
	return &syscall.SysProcAttr{CreationFlags: windows.DETACHED_PROCESS | windows.CREATE_NEW_PROCESS_GROUP}
}
