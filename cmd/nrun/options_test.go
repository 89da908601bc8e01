package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestOptionReaders: every reader of nrun's command line knows every
// option of the table, with every spelling.
func TestOptionReaders(t *testing.T) {
	flags := newApp(nil).Flags
	if len(flags) != len(options) {
		t.Errorf("the parser has %d flags, the table %d options", len(flags), len(options))
	}
	for i, o := range options {
		names := append([]string{o.name}, o.aliases...)
		if i < len(flags) && !slices.Equal(flags[i].Names(), names) {
			t.Errorf("parser flag %d is %q, the table says %q", i, flags[i].Names(), names)
		}
		for _, n := range names {
			for _, typed := range []string{"-" + n, "--" + n} {
				got, ok := lookupOption(typed)
				if !ok || got.name != o.name {
					t.Errorf("lookupOption(%q) = %q, %v", typed, got.name, ok)
				}
				// The scan before main steps over the option's value and
				// still sees a supervising option after it.
				args := []string{"nrun", typed}
				if o.takesValue() {
					args = append(args, "value")
				}
				if !supervisionAsked(append(args, "--supervise", "start")) {
					t.Errorf("%q: the scan before main misses the --supervise after it", args)
				}
				if o.supervises != supervisionAsked(append(args, "start")) {
					t.Errorf("%q: the scan before main says supervision is %v", args, !o.supervises)
				}
			}
		}
		if !o.hidden && !strings.Contains(bashCompletionScript(), "--"+o.name) {
			t.Errorf("--%s is not offered by completion", o.name)
		}
	}
}

// bashCompletionScript is what the bash completion script offers.
func bashCompletionScript() string {
	var b strings.Builder
	if err := writeCompletion(&b, "bash"); err != nil {
		return ""
	}
	return b.String()
}

// TestPassedOnRoundTrip: the options a job's nrun is given read back as
// the values of this run, through the same parser.
func TestPassedOnRoundTrip(t *testing.T) {
	cfg := newConfig()
	for _, o := range options {
		if !o.passOn {
			continue
		}
		switch p := o.field(cfg).(type) {
		case *bool:
			*p = true
		case *string:
			*p = "a value, with=signs and -dashes"
		case *int:
			*p = 7
		case *time.Duration:
			*p = 1500 * time.Millisecond
		case *[]string:
			*p = []string{"one,two", "three"}
		case envFilesField:
			for _, path := range []string{"a,b.env", "-c.env", "d=e.env"} {
				p.Set(path + pick(p.ifExists, ".if", ""))
			}
		}
	}
	argv := append([]string{"nrun"}, cfg.passedOn()...)
	var got *config
	app := newApp(func(c *config) error { got = c; return nil })
	if err := app.Run(append(argv, "script")); err != nil {
		t.Fatalf("%q: %v", argv, err)
	}
	for _, o := range options {
		if o.passOn && !equalField(o.field(cfg), o.field(got)) {
			t.Errorf("--%s: passed on as %q, read back differently", o.name, argv)
		}
	}
}

func equalField(a, b any) bool {
	switch a := a.(type) {
	case *bool:
		return *a == *b.(*bool)
	case *string:
		return *a == *b.(*string)
	case *int:
		return *a == *b.(*int)
	case *time.Duration:
		return *a == *b.(*time.Duration)
	case *[]string:
		return slices.Equal(*a, *b.(*[]string))
	case envFilesField:
		return slices.Equal(*a.list, *b.(envFilesField).list)
	}
	return false
}
