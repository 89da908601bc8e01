package minimatch

import (
	"reflect"
	"testing"
)

func TestMatch(t *testing.T) {
	// Each answer is minimatch 10's (node -e 'minimatch(f, p, o)').
	tests := []struct {
		file, pattern string
		partial, dot  bool
		want          bool
	}{
		{"packages/a", "packages//*", false, false, true},
		{"web", "./*", false, false, false},
		{"./web", "./*", false, false, true},
		{"a/b", "a/./*", false, false, false},
		{"../packages/a", "../packages/*", false, false, true},
		{"packages/a", "x/../packages/*", false, false, true},
		{".hid/a", "*/a", false, false, false},
		{"packages/.a", "packages/*", false, false, false},
		{"packages/.a", "packages/*", false, true, true},
		{"packages", "packages/*", true, false, true},
		{"packages/c", "packages/c/x", true, false, true},
		{"packages/c", "packages/**/x", true, false, true},
		{"packages/c/d/e", "packages/**/x", true, false, true},
		{"packages/c/d/e", "packages/**/x", false, false, false},
		{"packages/c/d/x", "packages/**/x", false, false, true},
		{"p/x", "p/[!a]", false, false, true},
		{"p/x", "p/[^a]", false, false, true},
		{"x/y", "**", true, false, true},
		{".", ".", false, false, true},
		{"a", "a/", true, false, true},
		{"a/b", "a/", false, false, false},
		{"a", "a/", false, false, false},
		{"a/b", "a/**", false, false, true},
		{"a", "a/**", false, false, false},
		{"a/", "a/**", false, false, true},
		{"a/.b", "a/**", false, false, false},
		{"a/.b/c", "a/**/c", false, false, false},
		{"a/.b/c", "a/**/c", false, true, true},
		{"a/b", "a/{b,c}", false, false, true},
		{"a/{b}", "a/{b}", false, false, true},
		{"a/b", "!a/c", false, false, true},
		{"a/[", "a/[", false, false, true},
		{"#x", "#x", false, false, false},
		{"", "", false, false, true},
	}
	for _, tt := range tests {
		if got := Match(tt.pattern, tt.file, Options{Partial: tt.partial, Dot: tt.dot}); got != tt.want {
			t.Errorf("Match(%q, %q, partial=%v, dot=%v) = %v, want %v", tt.pattern, tt.file, tt.partial, tt.dot, got, tt.want)
		}
	}
}

func TestNoNegate(t *testing.T) {
	for _, tt := range []struct {
		pattern, file string
		want          bool
	}{
		{"!a", "!a", true},
		{"!a", "b", false},
		{"!*", "!x", true},
	} {
		if got := Match(tt.pattern, tt.file, Options{NoNegate: true}); got != tt.want {
			t.Errorf("Match(%q, %q, NoNegate) = %v, want %v", tt.pattern, tt.file, got, tt.want)
		}
	}
}

func TestExpandBraces(t *testing.T) {
	tests := map[string][]string{
		"a":          {"a"},
		"{a,b}":      {"a", "b"},
		"x/{a,b}/y":  {"x/a/y", "x/b/y"},
		"{a,{b,c}}d": {"ad", "bd", "cd"},
		"{a}":        {"{a}"},
		"{a,b}{1,2}": {"a1", "a2", "b1", "b2"},
		"{,x}y":      {"y", "xy"},
		"{a,b":       {"{a,b"},
		"{{a,b}}":    {"{a}", "{b}"},
	}
	for in, want := range tests {
		if got := ExpandBraces(in); !reflect.DeepEqual(got, want) {
			t.Errorf("ExpandBraces(%q) = %q, want %q", in, got, want)
		}
	}
}
