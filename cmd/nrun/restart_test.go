package main

import (
	"testing"
	"time"
)

// TestRestartPause: the pause doubles after each quick run up to the
// ceiling, and is back to the first after a run that lasted.
func TestRestartPause(t *testing.T) {
	const quick, long = time.Second, quickRun
	cases := []struct {
		first  time.Duration
		lasted []time.Duration
		want   []time.Duration
	}{
		{100 * time.Millisecond, []time.Duration{quick, quick, quick, long, quick},
			[]time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond}},
		{10 * time.Second, []time.Duration{quick, quick, quick},
			[]time.Duration{10 * time.Second, 20 * time.Second, maxDelay}},
		{0, []time.Duration{quick, quick}, []time.Duration{0, 0}},
		{time.Minute, []time.Duration{quick, quick}, []time.Duration{time.Minute, time.Minute}},
	}
	for _, c := range cases {
		l := &restartLoop{first: c.first, next: c.first}
		for i, lasted := range c.lasted {
			if got := l.pause(lasted); got != c.want[i] {
				t.Errorf("first %v, pause %d after a run of %v: %v, want %v", c.first, i+1, lasted, got, c.want[i])
			}
		}
	}
}
