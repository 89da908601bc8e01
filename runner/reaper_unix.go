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
// and learns how it ended from the reaper; nothing else in nrun waits.
var reaper struct {
	sync.Mutex
	watched map[int]*watch
	once    sync.Once
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

// startWatched starts a program through start, and watches it from the
// very start: the reaper cannot collect it before it is watched.
func startWatched(start func() (int, error)) (int, *watch, error) {
	reaper.once.Do(runReaper)
	reaper.Lock()
	defer reaper.Unlock()
	pid, err := start()
	if err != nil {
		return 0, nil, err
	}
	w := &watch{stopped: make(chan struct{}, 1), ended: make(chan unix.WaitStatus, 1)}
	reaper.watched[pid] = w
	return pid, w, nil
}

// runReaper reaps on every SIGCHLD and, as a safety net for a SIGCHLD
// merged with another or lost, every second anyway (tini does the same).
func runReaper() {
	reaper.watched = map[int]*watch{}
	reaper.failed = make(chan struct{})
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs, unix.SIGCHLD)
	go func() {
		tick := time.NewTicker(time.Second)
		for {
			select {
			case <-sigs:
			case <-tick.C:
			}
			reapNow()
		}
	}()
}

// reapNow collects every child that changed state and reports whether
// nrun has any child left, zombies included. No child (ECHILD) is the
// normal end of a round; any other error is the kernel refusing to wait,
// which every supervisor learns through reaper.failed.
func reapNow() (children bool) {
	reaper.once.Do(runReaper)
	reaper.Lock()
	defer reaper.Unlock()
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
