package main

import (
	"reflect"
	"testing"
)

// TestPlainInvocationMatchesParser: the fast path for `nrun SCRIPT ARGS`
// decides exactly what the command-line parser decides.
func TestPlainInvocationMatchesParser(t *testing.T) {
	for _, args := range [][]string{
		{"nrun", "start"},
		{"nrun", "test", "--watch", "-s", "-C", "x"},
		{"nrun", "test", "--", "--watch"},
		{"nrun", "run", "build", "--", "x"},
		{"nrun", "run-script", "-s", "--if-present", "build", "a b"},
		{"nrun", "help"},
		{"nrun", "x", "--"},
	} {
		fast, ok := plainInvocation(args)
		if !ok {
			t.Errorf("%q: not taken as plain", args)
			continue
		}
		var parsed *config
		if err := newApp(func(c *config) error { parsed = c; return nil }).Run(args); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if !reflect.DeepEqual(fast, parsed) {
			t.Errorf("%q:\n fast   %+v\n parser %+v", args, *fast, *parsed)
		}
	}
	for _, args := range [][]string{{"nrun"}, {"nrun", "-s", "x"}, {"nrun", "--supervise", "x"}, {"nrun", "completion", "bash"}, {"nrun", ""}} {
		if _, ok := plainInvocation(args); ok {
			t.Errorf("%q taken as plain; the parser must read it", args)
		}
	}
	t.Setenv("NRUN_SUPERVISE", "1")
	if _, ok := plainInvocation([]string{"nrun", "start"}); ok {
		t.Error("NRUN_SUPERVISE is an option: the parser must read it")
	}
}
