package proctest

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Stat returns the state letter (R, S, Z...) and the parent of pid, from
// /proc/PID/stat.
func Stat(pid int) (state byte, ppid int, err error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, err
	}
	// "pid (comm) S ppid ...": comm may hold spaces and parentheses.
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	if len(f) < 2 {
		return 0, 0, fmt.Errorf("cannot parse /proc/%d/stat", pid)
	}
	ppid, err = strconv.Atoi(f[1])
	return f[0][0], ppid, err
}

// Exited reports whether pid is gone or a zombie.
func Exited(pid int) bool {
	state, _, err := Stat(pid)
	return err != nil || state == 'Z' || state == 'X'
}

// Children lists the children of pid, zombies included, from the
// children lists of all its threads.
func Children(pid int) []int {
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tasks, _ := os.ReadDir(dir)
	var out []int
	for _, t := range tasks {
		data, _ := os.ReadFile(dir + "/" + t.Name() + "/children")
		for _, f := range strings.Fields(string(data)) {
			if n, err := strconv.Atoi(f); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// Describe is one ps-like line about pid for failure messages.
func Describe(pid int) string {
	state, ppid, err := Stat(pid)
	if err != nil {
		return fmt.Sprintf("pid %d: %v", pid, err)
	}
	cmd, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	args := strings.Split(strings.TrimRight(string(cmd), "\x00"), "\x00")
	return fmt.Sprintf("pid %d ppid %d state %c cmd %q", pid, ppid, state, args)
}
