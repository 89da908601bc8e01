package runner

// The helpers that need Linux (see main_unix_test.go):
//
//	orphan -pidfile P -ppid F   start a child that ignores SIGTERM, writes its
//	                            pid to P, waits until it is orphaned, writes its
//	                            new parent's pid to F and exits; exit once P
//	                            holds its pid
//	pidns F                     write the name of its PID namespace to F
//	zombies -n N -pidfile P     start N children in sessions of their own
//	                            (out of reach of the process group) that exit
//	                            at once, and exit without waiting for them
//	                            once they have

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/nrunjs/nrun/internal/proctest"
	"golang.org/x/sys/unix"
)

func init() {
	helpers["orphan"] = helperOrphan
	helpers["orphan1"] = helperOrphaned
	helpers["zombies"] = helperZombies
	helpers["pidns"] = func(args []string) error {
		ns, err := os.Readlink("/proc/self/ns/pid")
		if err != nil {
			return err
		}
		return os.WriteFile(args[0], []byte(ns), 0o666)
	}
}

func helperOrphan(args []string) error {
	fs := flag.NewFlagSet("orphan", flag.ContinueOnError)
	pidfile := fs.String("pidfile", "", "")
	ppid := fs.String("ppid", "", "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := startHelper("orphan1", []string{*pidfile, *ppid}, nil)
	if err != nil {
		return err
	}
	_ = p.Release()
	if !proctest.Poll(func() bool { return proctest.HasData(*pidfile) }) {
		return errors.New("child not ready")
	}
	return nil
}

// helperOrphaned is the orphan's child: it ignores SIGTERM, so that a
// teardown cannot end it before it has seen who adopted it, and then says
// it is ready.
func helperOrphaned(args []string) error {
	signal.Ignore(unix.SIGTERM)
	parent := os.Getppid()
	if err := proctest.WriteAtomic(args[0], strconv.Itoa(os.Getpid())); err != nil {
		return err
	}
	if !proctest.Poll(func() bool { return os.Getppid() != parent }) {
		return errors.New("never orphaned")
	}
	return proctest.WriteAtomic(args[1], strconv.Itoa(os.Getppid()))
}

func helperZombies(args []string) error {
	fs := flag.NewFlagSet("zombies", flag.ContinueOnError)
	n := fs.Int("n", 1, "")
	pidfile := fs.String("pidfile", "", "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var pids []string
	for range *n {
		p, err := startHelper("exit", []string{"0"}, &syscall.SysProcAttr{Setsid: true})
		if err != nil {
			return err
		}
		if !proctest.Poll(func() bool { return proctest.Exited(p.Pid) }) {
			return fmt.Errorf("child %d did not exit", p.Pid)
		}
		pids = append(pids, strconv.Itoa(p.Pid))
		_ = p.Release()
	}
	return proctest.WriteAtomic(*pidfile, strings.Join(pids, "\n"))
}
