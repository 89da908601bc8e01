//go:build !unix

package runner

import (
	"os"
	"time"
)

// forwarded: the console sends Ctrl-C to every process attached to it, so
// nrun catches it only to outlive the child and report its status.
func forwarded() []os.Signal { return []os.Signal{os.Interrupt} }

func forward(*os.Process, os.Signal) {}

func stops(s os.Signal) bool { return s == os.Interrupt }

// supervise has no process groups to lead here; the child shares nrun's
// console and Ctrl-C.
func supervise(path string, argv, env []string, dir string, _ time.Duration) (int, status, error) {
	st, err := runChild(path, argv, env, dir)
	return 0, st, err
}

// becomeSubreaper: the Job Object does this work on Windows.
func becomeSubreaper() bool { return true }

func teardown(int, time.Duration) {}
