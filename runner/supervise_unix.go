//go:build unix

package runner

import (
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// supervise runs a program as a child that leads a process group of its
// own, and stays its parent until it and everything it left behind are
// gone. It is nrun's one waiter: it reaps every child it has (orphans too,
// as a subreaper or PID 1), so nothing else may wait meanwhile.
//
// Signals: every catchable signal nrun receives goes to the child's group
// once. If nrun owns the terminal's foreground, the child's group gets it,
// so the terminal's Ctrl-C reaches the app once and nrun not at all.
// Ctrl-Z stops the child; nrun then takes the terminal back and stops
// itself, so the shell sees the job stop, and on `fg` hands the terminal
// on and lets the child continue.
// With how.pidns > 0 the program runs under an nrun that is PID 1 of a
// new PID namespace, which ends its namespace after that much grace.
func supervise(path string, argv, env []string, dir string, how child) (pid int, st status, err error) {
	sigs := make(chan os.Signal, 256)
	normal, ignored := splitIgnored(catchable)
	signal.Notify(sigs, append(normal, unix.SIGCHLD)...)
	defer signal.Stop(sigs)

	if parentGone.Load() {
		// The parent died before nrun could watch it: that is a SIGTERM.
		return 0, status{code: 128 + int(unix.SIGTERM), sig: unix.SIGTERM, stop: true}, nil
	}
	tty := -1
	if !how.background {
		tty = foregroundTTY()
	}
	pid, err = startLeader(path, argv, env, dir, tty, how.pidns)
	if err != nil {
		return 0, status{}, err
	}
	// The signals nrun's parent ignored are caught only now that the child
	// has started: a child inherits an ignore, but the Go runtime resets a
	// caught signal to its default in every child. So the app starts with
	// the ignores nrun was given and decides for itself, and what nrun
	// receives from here on reaches it, as under tini and dumb-init. A
	// signal sent before this point was ignored, as nrun's parent asked.
	signal.Notify(sigs, ignored...)
	// A safety net for a SIGCHLD merged with another or lost (tini does
	// the same): the reaper looks every second anyway.
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	stop := false
	cancel, kill := how.cancel, (<-chan time.Time)(nil)
	for exited := false; !exited; {
		select {
		case s := <-sigs:
			if s != unix.SIGCHLD {
				_ = unix.Kill(-pid, s.(syscall.Signal))
				stop = stop || stops(s)
				continue
			}
		case <-cancel:
			// Ended from outside (a restart): the group gets SIGTERM once,
			// and SIGKILL if it outlasts the grace period.
			_ = unix.Kill(-pid, unix.SIGTERM)
			cancel, kill = nil, time.After(how.grace)
			continue
		case <-kill:
			_ = unix.Kill(-pid, unix.SIGKILL)
			continue
		case <-tick.C:
		}
		st, exited = reap(pid, tty)
	}
	reclaimTTY(tty)
	st.stop = stop
	return pid, st, nil
}

// startLeader starts the child as the leader of a new process group, in
// the terminal's foreground when tty >= 0.
func startLeader(path string, argv, env []string, dir string, tty int, pidns time.Duration) (int, error) {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if pidns > 0 {
		path, argv = inNamespace(attr, path, argv, pidns)
	}
	if tty >= 0 {
		attr.Foreground, attr.Ctty = true, tty
	}
	setParentDeathSignal(attr)
	pid := 0
	err := retryStart(path, argv, func(path string, argv []string) error {
		p, err := os.StartProcess(path, argv, &os.ProcAttr{
			Dir: dir, Env: env, Files: []*os.File{os.Stdin, os.Stdout, os.Stderr}, Sys: attr,
		})
		if err == nil {
			pid = p.Pid
			_ = p.Release() // the reaper waits for it, not os.Process
		}
		return err
	})
	return pid, err
}

// reap collects every child that changed state. It reports the main
// child's status once it has ended; a stop of the main child is job
// control, handled on the spot.
func reap(main, tty int) (st status, exited bool) {
	for {
		var ws unix.WaitStatus
		pid, err := unix.Wait4(-1, &ws, unix.WNOHANG|unix.WUNTRACED, nil)
		if err == unix.EINTR {
			continue
		}
		if pid <= 0 || err != nil {
			return st, exited
		}
		switch {
		case pid != main:
			// an orphan handed to nrun: reaping it is all there is to do
		case ws.Stopped():
			jobStopped(main, tty)
		case ws.Signaled():
			st, exited = status{code: 128 + int(ws.Signal()), sig: ws.Signal()}, true
		case ws.Exited():
			st, exited = status{code: ws.ExitStatus()}, true
		}
	}
}

// jobStopped follows the child into a stop: nrun takes the terminal back
// and stops itself with the same signal, so the shell that started nrun
// sees its job stop. When the shell continues nrun (fg, bg), nrun hands
// the terminal back and the SIGCONT that woke it is forwarded by the loop.
func jobStopped(child, tty int) {
	reclaimTTY(tty)
	// SIGSTOP, not the child's SIGTSTP: nrun catches SIGTSTP to forward it,
	// and SIGSTOP cannot be caught.
	_ = unix.Kill(os.Getpid(), unix.SIGSTOP)
	if tty >= 0 {
		withTTOUIgnored(func() { _ = unix.IoctlSetPointerInt(tty, unix.TIOCSPGRP, child) })
	}
}

// foregroundTTY returns stdin's descriptor when it is a terminal whose
// foreground group is nrun's own, else -1: nrun never takes a terminal
// it was not given (tini's "don't steal the foreground").
func foregroundTTY() int {
	fg, err := unix.IoctlGetInt(0, unix.TIOCGPGRP)
	if err != nil || fg != unix.Getpgrp() {
		return -1
	}
	return 0
}

// reclaimTTY makes nrun's group the terminal's foreground again. nrun is
// in the background when it asks, so SIGTTOU is ignored for the call.
func reclaimTTY(tty int) {
	if tty < 0 {
		return
	}
	withTTOUIgnored(func() { _ = unix.IoctlSetPointerInt(tty, unix.TIOCSPGRP, unix.Getpgrp()) })
}

func withTTOUIgnored(f func()) {
	signal.Ignore(unix.SIGTTOU)
	defer signal.Reset(unix.SIGTTOU)
	f()
}

// teardown ends what the plan left behind when nrun supervises: the last
// child's process group and, where nrun can see them, all its other
// descendants (setsid'd daemons included, handed to nrun as orphans).
// They get SIGTERM, and SIGKILL once grace has passed; nrun reaps them
// all before it returns. It runs once, at the end: a daemon started by one
// command of a list stays up for the next, as under sh.
func teardown(main int, grace time.Duration) {
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs, unix.SIGCHLD)
	defer signal.Stop(sigs)
	termed := map[int]bool{}
	term := func() bool {
		if main > 0 {
			_ = unix.Kill(-main, unix.SIGTERM)
		}
		left := leftovers()
		for _, pid := range left {
			if !termed[pid] {
				termed[pid] = true
				_ = unix.Kill(pid, unix.SIGTERM)
			}
		}
		if len(left) > 0 || groupAlive(main) {
			return true
		}
		// Only zombies may be left, the last ones to die: reaped now, so
		// that nothing of the tree exists once teardown returns. A zombie
		// whose other threads are still exiting cannot be reaped yet, and
		// is waited for.
		reap(-1, -1)
		return hasChildren()
	}
	if !term() {
		return
	}
	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	poll := time.NewTicker(10 * time.Millisecond)
	defer poll.Stop()
	for {
		select {
		case <-sigs: // SIGCHLD, or a signal for a child that is gone
		case <-poll.C:
		case <-deadline.C:
			killAll(main)
			return
		}
		reap(-1, -1)
		if !term() {
			return
		}
	}
}

// killAll SIGKILLs whatever is left and reaps it, giving up after a few
// seconds on processes the kernel cannot end (uninterruptible sleep).
func killAll(main int) {
	give := time.Now().Add(5 * time.Second)
	for time.Now().Before(give) {
		if main > 0 {
			_ = unix.Kill(-main, unix.SIGKILL)
		}
		left := leftovers()
		for _, pid := range left {
			_ = unix.Kill(pid, unix.SIGKILL)
		}
		reap(-1, -1)
		if len(left) == 0 && !groupAlive(main) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// groupAlive reports whether any process of the group is left. Zombies
// count, so on systems without a descendants list nrun waits until the
// group is reaped by whoever owns it.
func groupAlive(pgid int) bool {
	return pgid > 0 && unix.Kill(-pgid, 0) == nil
}
