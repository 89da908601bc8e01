package runner

import (
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// nsInitFlag is the hidden first argument that makes nrun the init of a
// PID namespace (see NSInit).
const nsInitFlag = "--ns-init"

// inNamespace rewrites a start so that nrun itself, as PID 1 of a new PID
// namespace, runs the program. When that init dies — also of a SIGKILL
// through its parent-death signal, when the supervising nrun is killed —
// the kernel kills every process of the namespace: the one guarantee that
// survives a SIGKILL of nrun. Without root a user namespace that maps
// only nrun's own uid and gid makes the PID namespace possible.
func inNamespace(attr *syscall.SysProcAttr, path string, argv []string, grace time.Duration) (string, []string) {
	self, err := os.Executable()
	if err != nil {
		return path, argv
	}
	attr.Cloneflags |= unix.CLONE_NEWPID
	if uid := os.Geteuid(); uid != 0 {
		attr.Cloneflags |= unix.CLONE_NEWUSER
		attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: uid, HostID: uid, Size: 1}}
		attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: os.Getegid(), HostID: os.Getegid(), Size: 1}}
		attr.GidMappingsEnableSetgroups = false
	}
	return self, append([]string{self, nsInitFlag, grace.String(), path, "--"}, argv...)
}

// NSInit is nrun as the init of the namespace inNamespace made: it
// supervises the program and, when it ends, sends SIGTERM to everything
// else in the namespace and waits up to the grace period before
// returning; its exit then lets the kernel kill what is left. It
// reports a death by signal N as 128+N: PID 1 cannot die of its own
// signal. It returns false when args are not an NSInit call.
func NSInit(args []string) (int, bool) {
	if len(args) < 5 || args[0] != nsInitFlag || args[3] != "--" {
		return 0, false
	}
	grace, err := time.ParseDuration(args[1])
	if err != nil {
		grace = 10 * time.Second
	}
	dir, _ := os.Getwd()
	_, st, err := supervise(args[2], args[4:], os.Environ(), dir, child{})
	if err != nil {
		os.Stderr.WriteString("nrun: " + err.Error() + "\n")
		return 127, true
	}
	// /proc belongs to the outer namespace here, so the descendants list
	// cannot be read; kill(-1) reaches every process of this namespace.
	_ = unix.Kill(-1, unix.SIGTERM)
	for deadline := time.Now().Add(grace); reapNow() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	return st.code, true
}
