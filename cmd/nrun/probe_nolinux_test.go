//go:build !linux

package main

import (
	"fmt"
	"os"
	"syscall"
)

// Linux-only parts of the probe; see probe_linux_test.go for what they do.

func probeSetPdeathsig() {}

// probeRawEnviron falls back to os.Environ, which has lost duplicate names.
func probeRawEnviron() ([]string, bool) { return os.Environ(), false }

// probeDefaultDispositions cannot bypass the Go runtime here: a probe ignores
// SIGUSR1 and friends, and exits 2 on SIGQUIT.
func probeDefaultDispositions() {}

func probeForceDefault(syscall.Signal) {}

func probeSetSignalMask(bool, ...syscall.Signal) {}

func probeSigstate(args []string) int {
	fmt.Println("unsupported")
	return 0
}

func probeHasExited(int) bool { return true }

func probeIsZombie(int) bool { return false }

func probeSignalPending(int) bool { return false }

func probeDescribe(pid int) string { return fmt.Sprintf("pid %d", pid) }

func probeNoZombies([]string) int { return probeExitUnsupported }
