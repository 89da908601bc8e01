package runner

import (
	"os"
	"os/exec"
)

var terminate os.Signal = os.Kill

// parallelSignals: the console's Ctrl-C reaches every job already; nrun
// only survives it.
func parallelSignals() []os.Signal { return []os.Signal{os.Interrupt} }

// prepareJobs puts nrun in its Job Object before the first job starts.
func prepareJobs(o Options) { enterJob(o.AllowBreakaway) }

// jobCommand starts jobs inside nrun's Job Object, as every child is.
func jobCommand(j Job) (*exec.Cmd, error) {
	return command(j.Path, j.Argv, j.Env, j.Dir)
}

func signalGroup(c *exec.Cmd, s os.Signal) {
	if c != nil && c.Process != nil && s == os.Kill {
		_ = c.Process.Kill()
	}
}
