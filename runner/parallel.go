package runner

import (
	"bufio"
	"bytes"
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
}

// Result is how a job ended.
type Result struct {
	Name     string
	Code     int
	Signal   syscall.Signal // the job died of it (Code is then 128+Signal)
	Took     time.Duration
	Canceled bool // stopped because another job failed (bail)
}

// Parallel runs jobs at once, each leading its own process group with the
// null device as stdin, and writes their output to out with every line
// prefixed by "[name] ": lines are read whole, so two jobs never mix
// within a line. Every signal nrun receives goes to every job once. With
// bail, the first failure sends SIGTERM to the jobs still running. It
// returns when all have ended.
func Parallel(jobs []Job, out io.Writer, bail bool, o Options) []Result {
	prepareJobs(o)
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs, parallelSignals()...)
	defer signal.Stop(sigs)

	var mu sync.Mutex // one line at a time on out
	results := make([]Result, len(jobs))
	cmds := make([]*exec.Cmd, len(jobs))
	done := make(chan int, len(jobs))
	var copying sync.WaitGroup
	for i, j := range jobs {
		results[i].Name = j.Name
		prefix := []byte("[" + j.Name + "] ")
		cmd, err := jobCommand(j)
		if cmd != nil {
			cmd.Stdin = nil // the null device: jobs at once cannot share a terminal
		}
		// One pipe for stdout and stderr: the job's lines keep their order.
		var pw *os.File
		if err == nil {
			pw, err = prefixed(out, prefix, &mu, &copying)
		}
		if err == nil {
			cmd.Stdout, cmd.Stderr = pw, pw
			err = cmd.Start()
			pw.Close() // the job holds its own copy
		}
		start := time.Now()
		if err != nil {
			mu.Lock()
			io.WriteString(out, string(prefix)+"nrun: "+err.Error()+"\n")
			mu.Unlock()
			results[i].Code = 127
			done <- i
			continue
		}
		cmds[i] = cmd
		go func() {
			cmd.Wait()
			st := exitStatus(cmd.ProcessState)
			results[i].Code, results[i].Signal = st.code, st.sig
			results[i].Took = time.Since(start)
			done <- i
		}()
	}
	ended := make([]bool, len(jobs))
	for left, failed := len(jobs), false; left > 0; {
		select {
		case s := <-sigs:
			for k, c := range cmds {
				if !ended[k] {
					signalGroup(c, s)
				}
			}
		case i := <-done:
			left--
			ended[i] = true
			if results[i].Code != 0 && bail && !failed {
				failed = true
				for k, c := range cmds {
					if !ended[k] {
						results[k].Canceled = true
						signalGroup(c, terminate)
					}
				}
			}
		}
	}
	copying.Wait()
	return results
}

// prefixed returns the write end of a pipe whose lines reach out with
// prefix, whole, until every holder of the write end has closed it.
func prefixed(out io.Writer, prefix []byte, mu *sync.Mutex, wg *sync.WaitGroup) (*os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer r.Close()
		br := bufio.NewReader(r)
		for {
			line, err := br.ReadBytes('\n')
			if len(line) > 0 {
				if line[len(line)-1] != '\n' {
					line = append(line, '\n') // the last line, unterminated
				}
				mu.Lock()
				out.Write(bytes.Join([][]byte{prefix, line}, nil))
				mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	return w, nil
}
