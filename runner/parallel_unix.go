//go:build unix

package runner

import (
	"os"
	"os/exec"
	"slices"
	"syscall"

	"golang.org/x/sys/unix"
)

// terminate is what a bail sends to the jobs still running.
var terminate os.Signal = unix.SIGTERM

// parallelSignals are forwarded to every job of a parallel run. Jobs
// start at different times, so nrun cannot catch a signal its parent
// ignored and still hand the ignore to each job: those stay ignored.
func parallelSignals() []os.Signal {
	normal, _ := splitIgnored(catchable)
	return slices.DeleteFunc(normal, func(s os.Signal) bool { return s == unix.SIGTSTP })
}

// prepareJobs: each job leads its own process group; nothing to set up.
func prepareJobs(Options) {}

// jobCommand makes a job the leader of a process group of its own, so a
// signal reaches the job and everything it started.
func jobCommand(j Job) (*exec.Cmd, error) {
	return &exec.Cmd{Path: j.Path, Args: j.Argv, Env: j.Env, Dir: j.Dir,
		SysProcAttr: &syscall.SysProcAttr{Setpgid: true}}, nil
}

func signalGroup(c *exec.Cmd, s os.Signal) {
	if c != nil && c.Process != nil {
		_ = unix.Kill(-c.Process.Pid, s.(syscall.Signal))
	}
}
