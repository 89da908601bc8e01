package runner

import (
	"os"
	"sync"
	"syscall"
)

// Halt tells runs that nrun was told to stop, and by which signal, when
// whoever heard it was not the runs' supervisor: a restart loop between
// two programs of a run, or a parallel run between two of a job's. No
// program starts after it. A program that started in the instant it came,
// too late to have the signal, gets it then (Windows: is terminated), as
// if it had been running. A halt without a signal (a parallel run's bail
// or race) ends such a program as Cancel would.
type Halt struct {
	once sync.Once
	done chan struct{}
	sig  os.Signal // set before done is closed
}

// NewHalt returns a Halt that has not been stopped.
func NewHalt() *Halt { return &Halt{done: make(chan struct{})} }

// Stop halts the runs; the first call decides the signal, nil for none.
func (h *Halt) Stop(sig os.Signal) {
	h.once.Do(func() {
		h.sig = sig
		close(h.done)
	})
}

// Done is closed once Stop has been called; a nil Halt's never is.
func (h *Halt) Done() <-chan struct{} {
	if h == nil {
		return nil
	}
	return h.done
}

// Signal is what Stop was given; it may be read once Done is closed.
func (h *Halt) Signal() os.Signal { return h.sig }

// status is the outcome of a program the halt kept from starting: a death
// by the halting signal, as sh would have died of it, or by SIGTERM.
func (h *Halt) status() status {
	sig, ok := h.Signal().(syscall.Signal)
	if !ok {
		sig = syscall.SIGTERM
	}
	st := signaled(sig)
	st.stop = true
	return st
}
