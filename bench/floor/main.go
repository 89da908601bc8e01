// Command floor is the Go execve floor of bench/run.sh: the least a static Go
// binary can do to start a program, with the Go runtime's own start-up and
// nothing else. nrun's `noop` is measured against it, because nrun cannot
// start faster than the runtime it is written in.
package main

import (
	"os"
	"syscall"
)

func main() {
	// The same argv and environment a script `true` gets from nrun.
	err := syscall.Exec("/bin/true", []string{"true"}, os.Environ())
	os.Stderr.WriteString("floor: exec /bin/true: " + err.Error() + "\n")
	os.Exit(127)
}
