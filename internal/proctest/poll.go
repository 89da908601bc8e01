package proctest

import "time"

const (
	// Step is how often Poll asks.
	Step = 10 * time.Millisecond
	// Timeout is how long Poll asks.
	Timeout = 10 * time.Second
)

// Poll calls cond every Step until it returns true or Timeout has passed,
// and reports whether cond came true.
func Poll(cond func() bool) bool { return PollFor(Timeout, cond) }

// PollFor is Poll with another limit, for a promise of promptness.
func PollFor(limit time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(Step)
	}
}
