package main

import (
	"bufio"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"github.com/nrunjs/nrun/internal/proctest"
	"golang.org/x/sys/unix"
)

// probeSetPdeathsig asks for SIGKILL when the parent thread dies, and exits if
// the parent already changed before the request took effect.
func probeSetPdeathsig() {
	ppid := os.Getppid()
	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0, 0, 0); err != nil {
		fmt.Fprintf(os.Stderr, "%s: PR_SET_PDEATHSIG: %v\n", probeName, err)
	}
	if os.Getppid() != ppid {
		os.Exit(probeExitInternal)
	}
}

// probeRawEnviron returns the environment exactly as execve passed it,
// duplicates included: os.Environ drops every duplicate but the first.
func probeRawEnviron() ([]string, bool) {
	data, err := os.ReadFile("/proc/self/environ")
	if err != nil {
		return os.Environ(), false
	}
	var env []string
	for kv := range strings.SplitSeq(string(data), "\x00") {
		if kv != "" {
			env = append(env, kv)
		}
	}
	return env, true
}

// probeSwallowedSignals are the signals whose default action is to terminate and
// for which the Go runtime installs a handler of its own at start.
var probeSwallowedSignals = []syscall.Signal{
	unix.SIGHUP, unix.SIGINT, unix.SIGQUIT, unix.SIGUSR1, unix.SIGUSR2, unix.SIGPIPE,
	unix.SIGALRM, unix.SIGTERM, unix.SIGVTALRM, unix.SIGXCPU, unix.SIGXFSZ,
}

// probeDefaultDispositions gives the process the dispositions of a C program
// without handlers. SIGHUP and SIGINT inherited as ignored stay ignored (the
// runtime kept them so); for the others the inherited state is lost.
func probeDefaultDispositions() {
	for _, sig := range probeSwallowedSignals {
		if !signal.Ignored(sig) {
			probeForceDefault(sig)
		}
	}
}

// probeForceDefault sets sig to SIG_DFL behind the Go runtime's back, with a
// zeroed kernel struct sigaction (handler SIG_DFL, no flags, empty mask).
func probeForceDefault(sig syscall.Signal) {
	var act [8]uint64
	for _, setsize := range []uintptr{8, 16} { // sizeof(sigset_t): 16 on MIPS
		_, _, errno := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig),
			uintptr(unsafe.Pointer(&act)), 0, setsize, 0, 0)
		if errno != unix.EINVAL {
			return
		}
	}
}

// probeSetSignalMask blocks (or unblocks) sigs in the calling thread.
func probeSetSignalMask(block bool, sigs ...syscall.Signal) {
	if len(sigs) == 0 {
		return
	}
	var set unix.Sigset_t
	bits := uint(unsafe.Sizeof(set.Val[0]) * 8)
	for _, s := range sigs {
		n := uint(s) - 1
		set.Val[n/bits] |= 1 << (n % bits)
	}
	how := unix.SIG_UNBLOCK
	if block {
		how = unix.SIG_BLOCK
	}
	if err := unix.PthreadSigmask(how, &set, nil); err != nil {
		fmt.Fprintf(os.Stderr, "%s: sigprocmask: %v\n", probeName, err)
	}
}

// probeSigstate prints the SigIgn, SigBlk and SigCgt lines of
// /proc/self/status, then the same sets by name. The Go runtime has changed
// them by then: it catches most signals (SigCgt is never empty), unblocks
// those it needs (TERM, INT, HUP, QUIT, SEGV... so a blocked TERM is not
// visible here) and replaces inherited ignores except for HUP, INT and the
// job-control and default-ignore signals (TSTP, TTIN, TTOU, CONT, ...).
func probeSigstate(args []string) int {
	if len(args) != 0 {
		return probeFail(probeExitUsage, "usage: nrun-probe sigstate")
	}
	st, err := probeProcStatus("self")
	if err != nil {
		return probeFail(probeExitInternal, "sigstate: %v", err)
	}
	for _, k := range []string{"SigIgn", "SigBlk", "SigCgt"} {
		fmt.Printf("%s:\t%s\n", k, st[k])
	}
	for _, k := range [][2]string{{"ignored", "SigIgn"}, {"blocked", "SigBlk"}, {"caught", "SigCgt"}} {
		fmt.Printf("%s:%s\n", k[0], probeMaskNames(st[k[1]]))
	}
	return 0
}

// probeMaskNames turns a /proc signal mask into " int term ..." (empty if none).
func probeMaskNames(hex string) string {
	mask, _ := strconv.ParseUint(hex, 16, 64)
	var b strings.Builder
	for n := 1; n <= 64; n++ {
		if mask&(1<<(n-1)) != 0 {
			b.WriteString(" " + probeSignalName(syscall.Signal(n)))
		}
	}
	return b.String()
}

// probeProcStatus reads /proc/PID/status into a map of its "Key:\tvalue" lines.
func probeProcStatus(pid string) (map[string]string, error) {
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok {
			st[k] = strings.TrimSpace(v)
		}
	}
	return st, sc.Err()
}

// probeProcStat returns the state letter and parent pid from /proc/PID/stat.
var probeProcStat = proctest.Stat

// probeHasExited reports whether pid is gone or a zombie.
// allExited reports whether every one of pids has exited.
func allExited(pids []int) bool {
	for _, pid := range pids {
		if !probeHasExited(pid) {
			return false
		}
	}
	return true
}

func probeHasExited(pid int) bool { return proctest.Exited(pid) }

// probeIsZombie reports whether pid exists as a zombie (or is being reaped).
func probeIsZombie(pid int) bool {
	state, _, err := probeProcStat(pid)
	return err == nil && (state == 'Z' || state == 'X')
}

// probeSignalPending reports whether pid has a pending signal it does not
// block, that is one that has been sent but not yet acted upon.
func probeSignalPending(pid int) bool {
	st, err := probeProcStatus(strconv.Itoa(pid))
	if err != nil {
		return false
	}
	hex := func(k string) uint64 { v, _ := strconv.ParseUint(st[k], 16, 64); return v }
	return (hex("SigPnd")|hex("ShdPnd"))&^hex("SigBlk") != 0
}

// probeDescribe is one ps-like line for failure messages.
func probeDescribe(pid int) string { return proctest.Describe(pid) }

// probeNoZombies waits (bounded) until no process visible in /proc is a
// zombie other than this probe's own business, then prints "zombies: 0";
// else it prints the count and fails. In a PID namespace with its own
// /proc it sees exactly the namespace.
func probeNoZombies(args []string) int {
	count := func() int {
		n := 0
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			if state, _, err := probeProcStat(pid); err == nil && state == 'Z' {
				n++
			}
		}
		return n
	}
	ok := probePoll(func() bool { return count() == 0 })
	fmt.Printf("zombies: %d\n", count())
	if !ok {
		return 1
	}
	return 0
}
