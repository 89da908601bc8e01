//go:build !unix

package runner

import (
	"os"
	"os/exec"
	"os/signal"
)

// runChild starts a program as nrun's child with nrun's stdio, sharing
// nrun's console, forwards what can be forwarded while it runs, and
// returns its status. (Unix children are supervised: supervise_unix.go.)
func runChild(path string, argv, env []string, dir string) (status, error) {
	// Register before starting: a signal that arrives between the two
	// waits in the channel and is forwarded once the child exists.
	sigs := make(chan os.Signal, 64)
	if fw := forwarded(); len(fw) > 0 {
		signal.Notify(sigs, fw...)
		defer signal.Stop(sigs)
	}
	cmd, err := startChild(path, argv, env, dir)
	if err != nil {
		return status{}, err
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	stop := false
	for {
		select {
		case s := <-sigs:
			forward(cmd.Process, s)
			stop = stop || stops(s)
		case <-done:
			st := exitStatus(cmd.ProcessState)
			st.stop = stop
			return st, nil
		}
	}
}

// startChild starts the program, retrying the failures sh retries.
func startChild(path string, argv, env []string, dir string) (*exec.Cmd, error) {
	var cmd *exec.Cmd
	err := retryStart(path, argv, func(path string, argv []string) error {
		cmd = &exec.Cmd{
			Path: path, Args: argv, Env: env, Dir: dir,
			Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		}
		return cmd.Start()
	})
	return cmd, err
}
