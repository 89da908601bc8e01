// Package proctest holds what tests of process trees share: one bounded
// poll, and views of processes that read the kernel's own state (/proc on
// Linux) rather than trusting what a test process believes it started.
//
// Tests wait for other processes only through Poll: every 10 ms, for at
// most 10 s, never a fixed sleep. The limit is generous because the tests
// run under the race detector on busy machines; a test that promises
// promptness says so with PollFor and a tighter limit.
package proctest
