package runner

import (
	"bufio"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Job is one plan of a parallel run, shown under Name.
type Job struct {
	Name string
	Plan Plan
	// After are the jobs (indices) that must end successfully before this
	// one starts.
	After []int
}

// Schedule says how the jobs of a parallel run share the machine and
// when the run ends early.
type Schedule struct {
	Bail bool // the first failure stops the others
	Race bool // the first success stops the others
	Max  int  // jobs running at once at most; 0 is no cap
	// Aggregate holds each job's output until the job ends and prints it
	// in one block, so that no two jobs' lines interleave.
	Aggregate bool
}

// Result is how a job ended.
type Result struct {
	Name     string
	Code     int
	Signal   syscall.Signal // the job died of it (Code is then 128+Signal)
	Err      error          // what ended the job besides a status (Code is then 0)
	Started  time.Time      // zero if it never started
	Took     time.Duration
	Canceled bool // stopped, or never started, because another job failed or the run was ended
}

// Failed reports whether the job did not end successfully.
func (r Result) Failed() bool { return r.Code != 0 || r.Err != nil || r.Canceled }

// Parallel runs the jobs' plans at once in this process, each program
// leading its own process group with the null device as stdin, and writes
// their output to out with every line prefixed by "[name] ": lines are
// read whole, so two jobs never mix within a line. A job with After
// starts once those jobs have ended successfully; when one of them fails,
// it never starts. At most s.Max jobs run at once, the others waiting in
// order. Every signal nrun receives goes to every running program once,
// and one that ends a run (INT, TERM, HUP, QUIT) also keeps anything not
// yet started from starting. With s.Bail, the first failure ends the
// jobs still running (SIGTERM, then SIGKILL after o.Grace) and starts no
// more; with s.Race, the first success does. Each job's process group is
// torn down when the job ends, and everything left when all have ended.
func Parallel(jobs []Job, out io.Writer, s Schedule, o Options) []Result {
	ownTree(o)
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs, parallelSignals()...)
	defer signal.Stop(sigs)
	null, err := os.Open(os.DevNull)
	if err != nil {
		null = nil // nrun's own stdin then: better than no job at all
	} else {
		defer null.Close()
	}

	var mu sync.Mutex // one line at a time on out
	results := make([]Result, len(jobs))
	cancels := make([]chan struct{}, len(jobs))
	halt := NewHalt()
	done := make(chan int, len(jobs))
	var copying sync.WaitGroup
	start := func(i int) {
		j := jobs[i]
		results[i].Started = time.Now()
		cancels[i] = make(chan struct{})
		prefix := "[" + j.Name + "] "
		pw, err := prefixed(out, []byte(prefix), s.Aggregate, &mu, &copying)
		if err != nil {
			mu.Lock()
			io.WriteString(out, prefix+"nrun: "+err.Error()+"\n")
			mu.Unlock()
			results[i].Err = err
			done <- i
			return
		}
		r := &run{dir: j.Plan.Dir, opts: jobOptions(o, cancels[i], halt), stdio: [3]*os.File{null, pw, pw}, oneOfMany: true}
		if o.Notice != nil {
			r.opts.Notice = func(msg string) { r.say("warning: %s", msg) }
		}
		go func() {
			st, err := r.scripts(j.Plan.Scripts, false)
			teardown(r.group, o.Grace, false)
			if err != nil {
				r.say("%v", err)
			}
			pw.Close() // what the job left running may still hold a copy
			results[i].Code, results[i].Signal, results[i].Err = st.code, st.sig, err
			results[i].Took = time.Since(results[i].Started)
			done <- i
		}()
	}

	const (
		waiting = iota
		started
		ended
	)
	state := make([]int, len(jobs))
	// startable reports whether a waiting job's predecessors have all
	// ended successfully.
	startable := func(i int) bool {
		for _, a := range jobs[i].After {
			if state[a] != ended || results[a].Failed() {
				return false
			}
		}
		return true
	}
	// blocked reports whether a predecessor has ended without success,
	// so that the waiting job will never start.
	blocked := func(i int) bool {
		for _, a := range jobs[i].After {
			if state[a] == ended && results[a].Failed() {
				return true
			}
		}
		return false
	}
	// stopping: start no more jobs; tearing: the run was ended by a
	// failure (bail) or a success (race), and the running jobs are told.
	left, running, stopping, tearing := len(jobs), 0, false, false
	// settle starts every waiting job that may start and cancels every one
	// that never will, until nothing changes: a cancel can cancel more.
	settle := func() {
		for changed := true; changed; {
			changed = false
			for i := range jobs {
				if state[i] != waiting {
					continue
				}
				if stopping || blocked(i) {
					state[i], results[i].Canceled = ended, true
					left--
					changed = true
				} else if startable(i) && (s.Max <= 0 || running < s.Max) {
					state[i] = started
					running++
					start(i)
					changed = true
				}
			}
		}
	}
	for i, j := range jobs {
		results[i].Name = j.Name
	}
	settle()
	for left > 0 {
		select {
		case sig := <-sigs:
			// Each running program has had it from its own supervisor.
			if endsRun(sig) && !stopping {
				stopping = true
				halt.Stop(sig)
				settle()
			}
		case i := <-done:
			left--
			running--
			state[i] = ended
			failed := results[i].Code != 0 || results[i].Err != nil
			if !tearing && (s.Bail && failed || s.Race && !failed) {
				tearing = true
				if !stopping {
					stopping = true
					halt.Stop(nil)
				}
				for k := range jobs {
					if state[k] == started {
						results[k].Canceled = true
						close(cancels[k])
					}
				}
			}
			settle()
		}
	}
	teardown(0, o.Grace, true)
	copying.Wait()
	return results
}

// jobOptions are the options each job of a parallel run runs with: o's,
// supervised, in the background, ended from outside through cancel, and
// halted with the whole run.
func jobOptions(o Options, cancel <-chan struct{}, halt *Halt) Options {
	o.Supervise, o.Background, o.Cancel, o.Halt, o.Announce = true, true, cancel, halt, nil
	return o
}

// endsRun reports whether a signal asks the run to end, so that jobs not
// yet started never start.
func endsRun(s os.Signal) bool {
	switch s {
	case syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT:
		return true
	}
	return false
}

// prefixed returns the write end of a pipe whose lines reach out with
// prefix, whole, until every holder of the write end has closed it; with
// aggregate, all of them at once then.
func prefixed(out io.Writer, prefix []byte, aggregate bool, mu *sync.Mutex, wg *sync.WaitGroup) (*os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer r.Close()
		br := bufio.NewReader(r)
		var block []byte
		for {
			line, err := br.ReadBytes('\n')
			if len(line) > 0 {
				if line[len(line)-1] != '\n' {
					line = append(line, '\n') // the last line, unterminated
				}
				block = append(append(block, prefix...), line...)
			}
			if len(block) > 0 && (!aggregate || err != nil) {
				mu.Lock()
				out.Write(block)
				mu.Unlock()
				block = block[:0]
			}
			if err != nil {
				return
			}
		}
	}()
	return w, nil
}
