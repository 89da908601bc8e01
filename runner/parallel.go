package runner

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Job is one program of a parallel run, shown under Name.
type Job struct {
	Name string
	Path string
	Argv []string
	Env  []string
	Dir  string
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
	Started  time.Time      // zero if it never started
	Took     time.Duration
	Canceled bool // stopped, or never started, because another job failed or the run was ended
}

// Parallel runs jobs at once, each leading its own process group with the
// null device as stdin, and writes their output to out with every line
// prefixed by "[name] ": lines are read whole, so two jobs never mix
// within a line. A job with After starts once those jobs have ended
// successfully; when one of them fails, it never starts. At most s.Max
// jobs run at once, the others waiting in order. Every signal nrun
// receives goes to every running job once, and one that ends a run (INT,
// TERM, HUP, QUIT) also keeps the jobs not yet started from starting.
// With s.Bail, the first failure sends SIGTERM to the jobs still running
// and starts no more; with s.Race, the first success does. It returns
// when all have ended.
func Parallel(jobs []Job, out io.Writer, s Schedule, o Options) []Result {
	prepareJobs(o)
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs, parallelSignals()...)
	defer signal.Stop(sigs)

	var mu sync.Mutex // one line at a time on out
	results := make([]Result, len(jobs))
	cmds := make([]*exec.Cmd, len(jobs))
	done := make(chan int, len(jobs))
	var copying sync.WaitGroup
	start := func(i int) {
		j := jobs[i]
		prefix := []byte("[" + j.Name + "] ")
		cmd, err := jobCommand(j)
		if cmd != nil {
			cmd.Stdin = nil // the null device: jobs at once cannot share a terminal
		}
		// One pipe for stdout and stderr: the job's lines keep their order.
		var pw *os.File
		if err == nil {
			pw, err = prefixed(out, prefix, s.Aggregate, &mu, &copying)
		}
		if err == nil {
			cmd.Stdout, cmd.Stderr = pw, pw
			err = cmd.Start()
			pw.Close() // the job holds its own copy
		}
		began := time.Now()
		results[i].Started = began
		if err != nil {
			mu.Lock()
			io.WriteString(out, string(prefix)+"nrun: "+err.Error()+"\n")
			mu.Unlock()
			results[i].Code = 127
			done <- i
			return
		}
		cmds[i] = cmd
		go func() {
			cmd.Wait()
			st := exitStatus(cmd.ProcessState)
			results[i].Code, results[i].Signal = st.code, st.sig
			results[i].Took = time.Since(began)
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
			if state[a] != ended || results[a].Code != 0 || results[a].Canceled {
				return false
			}
		}
		return true
	}
	// blocked reports whether a predecessor has ended without success,
	// so that the waiting job will never start.
	blocked := func(i int) bool {
		for _, a := range jobs[i].After {
			if state[a] == ended && (results[a].Code != 0 || results[a].Canceled) {
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
			for k, c := range cmds {
				if state[k] == started {
					signalGroup(c, sig)
				}
			}
			if endsRun(sig) {
				stopping = true
				settle()
			}
		case i := <-done:
			left--
			running--
			state[i] = ended
			failed := results[i].Code != 0
			if !tearing && (s.Bail && failed || s.Race && !failed) {
				tearing, stopping = true, true
				for k, c := range cmds {
					if state[k] == started {
						results[k].Canceled = true
						signalGroup(c, terminate)
					}
				}
			}
			settle()
		}
	}
	copying.Wait()
	return results
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
