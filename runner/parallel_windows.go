package runner

import "os"

// parallelSignals: the console's Ctrl-C reaches every job already; nrun
// only survives it.
func parallelSignals() []os.Signal { return []os.Signal{os.Interrupt} }
