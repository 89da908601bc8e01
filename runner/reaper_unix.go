//go:build unix

package runner

import (
	"os"
	"os/signal"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// The reaper is nrun's one waiter. wait4(-1) collects every child that
// changed state: the programs nrun started and the orphans handed to it
// as a subreaper or PID 1, which only the process's one waiter may reap.
// Two waiters would steal each other's statuses, so every supervised
// program, one at a time or several at once, starts through startWatched
// and learns how it ended from the reaper. It reaps only while some
// program is watched (and when teardown asks): in between, an orphan
// waits as a zombie for the next round, and code that waits for a child
// of its own (os/exec) may run.
var reaper struct {
	sync.Mutex
	watched map[int]*watch
	running bool // a goroutine reaps on SIGCHLD
	// failed is closed, and err set, when the kernel refuses to wait for
	// a reason other than having no child: then no program's end can be
	// learnt, and a supervisor that went on waiting would hang for ever.
	failed chan struct{}
	err    error
}

// watch is what the reaper tells about one started program: that it
// stopped (job control), as often as it does, and how it ended, once.
type watch struct {
	stopped chan struct{}        // a stop not yet handled; stops coalesce
	ended   chan unix.WaitStatus // buffered: the reaper never blocks on it
}

// initReaper makes the reaper's state; the caller holds its lock.
func initReaper() {
	if reaper.watched == nil {
		reaper.watched = map[int]*watch{}
		reaper.failed = make(chan struct{})
	}
}

// startWatched starts a program through start, and watches it from the
// very start: the reaper cannot collect it before it is watched.
func startWatched(start func() (int, error)) (int, *watch, error) {
	reaper.Lock()
	defer reaper.Unlock()
	initReaper()
	pid, err := start()
	if err != nil {
		return 0, nil, err
	}
	w := &watch{stopped: make(chan struct{}, 1), ended: make(chan unix.WaitStatus, 1)}
	reaper.watched[pid] = w
	if !reaper.running {
		reaper.running = true
		go reapWhileWatched()
	}
	return pid, w, nil
}

// reapWhileWatched reaps on every SIGCHLD and, as a safety net for a
// SIGCHLD merged with another or lost, every second anyway, until no
// program is watched. It reaps once before it first
// waits: the program may have ended before SIGCHLD was asked for.
func reapWhileWatched() {
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs, unix.SIGCHLD)
	defer signal.Stop(sigs)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		reapNow()
		reaper.Lock()
		if len(reaper.watched) == 0 || reaper.err != nil {
			reaper.running = false
			reaper.Unlock()
			return
		}
		reaper.Unlock()
		select {
		case <-sigs:
		case <-tick.C:
		}
	}
}

// reapNow collects every child that changed state and reports whether
// nrun has any child left, zombies included. No child (ECHILD) is the
// normal end of a round; any other error is the kernel refusing to wait,
// which every supervisor learns through reaper.failed.
func reapNow() (children bool) {
	reaper.Lock()
	defer reaper.Unlock()
	initReaper()
	for {
		var ws unix.WaitStatus
		pid, err := unix.Wait4(-1, &ws, unix.WNOHANG|unix.WUNTRACED, nil)
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.ECHILD:
			return false
		case err != nil:
			if reaper.err == nil {
				reaper.err = err
				close(reaper.failed)
			}
			return false
		case pid == 0:
			return true // children left, none of them changed
		}
		w := reaper.watched[pid]
		switch {
		case w == nil:
			// an orphan handed to nrun: reaping it is all there is to do
		case ws.Stopped():
			select {
			case w.stopped <- struct{}{}:
			default:
			}
		default:
			delete(reaper.watched, pid)
			w.ended <- ws
		}
	}
}
