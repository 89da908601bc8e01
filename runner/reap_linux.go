package runner

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// becomeSubreaper makes nrun the parent of every orphan of its tree, so
// that setsid'd daemons can still be found, signalled and reaped.
func becomeSubreaper(Options) error {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("%w (%w)", errNoSubreaper, err)
	}
	return nil
}

// setParentDeathSignal kills the child if nrun dies without tearing it
// down (SIGKILL). It is tied to the thread that starts the child, and Go
// threads live as long as the process unless locked ones exit: nrun
// never starts children from a locked goroutine.
func setParentDeathSignal(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = unix.SIGKILL
}

// leftovers lists every live descendant of nrun: its children (orphans
// included, as a subreaper) and theirs, from /proc's children lists.
func leftovers() []int {
	var out []int
	queue := children(os.Getpid())
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		if zombie(pid) {
			continue
		}
		out = append(out, pid)
		queue = append(queue, children(pid)...)
	}
	return out
}

// children reads the children of every thread of pid.
func children(pid int) []int {
	tasks, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return nil
	}
	var out []int
	for _, t := range tasks {
		data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + t.Name() + "/children")
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(data)) {
			if n, err := strconv.Atoi(f); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

func zombie(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // gone
	}
	i := strings.LastIndexByte(string(data), ')')
	return i < 0 || i+2 >= len(data) || data[i+2] == 'Z' || data[i+2] == 'X'
}
