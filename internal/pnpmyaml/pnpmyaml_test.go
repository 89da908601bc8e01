package pnpmyaml

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// yamlCase is one pnpm-workspace.yaml: what Packages reads from it, or the
// error it gives. The same cases are handed to the real pnpm
// (pnpm_unix_test.go).
type yamlCase struct {
	name, yaml string
	want       []string // nil and no err: no packages
	err        string   // "line N: text" the error must hold

	// pnpmReads marks a case refused here that pnpm reads: a construct
	// nrun does not support (block scalars, anchors...).
	pnpmReads bool
	// notPnpm says why pnpm is not asked (its glob rules, not its YAML,
	// would decide).
	notPnpm string
}

var cases = []yamlCase{
	// Layout.
	{name: "block", yaml: "packages:\n  - a\n  - 'b c'\n  - \"d\\\"e\"\n", want: []string{"a", "b c", `d"e`}},
	{name: "items at column 0", yaml: "packages:\n- a\n- b\nother: 1\n", want: []string{"a", "b"}},
	{name: "comments and blanks", yaml: "# top\npackages: # list\n\n  # one\n  - a # trailing\n# between\n  - 'b # not a comment'\n", want: []string{"a", "b # not a comment"}},
	{name: "negation and globs", yaml: "packages:\n  - '!**/test/**'\n  - \"packages/**\"\n", want: []string{"!**/test/**", "packages/**"}, notPnpm: "globs"},
	{name: "BOM and CRLF", yaml: "\uFEFFpackages:\r\n  - a\r\n", want: []string{"a"}},
	{name: "CR line ends", yaml: "packages:\r  - a\r  - b\r", want: []string{"a", "b"}},
	{name: "quoted key", yaml: "\"packages\":\n  - a\n", want: []string{"a"}},
	{name: "quoted key with an escape", yaml: "\"pack\\x61ges\":\n  - a\n", want: []string{"a"}},
	{name: "key with a space before the colon", yaml: "packages :\n  - a\n", want: []string{"a"}},
	{name: "other keys before and after", yaml: "catalog:\n  packages: ^1\n  list: ^2\npackages:\n  - yes\nonlyBuiltDependencies:\n  - no\n", want: []string{"yes"}},
	{name: "other keys hold what is refused in packages", yaml: "catalog:\n  x: |\n    - y\n  y: &a 1\n  z: *a\npackages:\n  - a\n", want: []string{"a"}},
	{name: "another key's flow value over lines", yaml: "onlyBuiltDependencies: [esbuild,\nsharp]\npackages:\n  - a\n", want: []string{"a"}},
	{name: "document markers", yaml: "%YAML 1.2\n---\npackages:\n  - a\n...\n", want: []string{"a"}},
	{name: "item on the next line", yaml: "packages:\n  -\n    a\n", want: []string{"a"}},
	{name: "tab after the dash and at the end", yaml: "packages:\n  -\ta\t\n", want: []string{"a"}},
	{name: "tabs in blank and comment lines", yaml: "packages:\n\t\n\t# c\n  - a\n", want: []string{"a"}},
	{name: "no packages key", yaml: "catalog:\n  a: 1\n"},
	{name: "packages without a value", yaml: "packages:\nx: 1\n"},
	{name: "packages: ~", yaml: "packages: ~ # none\n"},
	{name: "packages: []", yaml: "packages: []\n"},
	{name: "empty file", yaml: ""},

	// Plain items are their text.
	{name: "plain text that YAML would type", yaml: "packages:\n  - 123\n  - true\n  - 0x1F\n  - 1.0\n  - .inf\n  - yes\n", want: []string{"123", "true", "0x1F", "1.0", ".inf", "yes"}},
	{name: "plain with # and : inside", yaml: "packages:\n  - a#b\n  - -a\n", want: []string{"a#b", "-a"}},
	{name: "plain with a colon", yaml: "packages:\n  - a:b\n", want: []string{"a:b"}, notPnpm: "pnpm refuses \":\" in a glob"},

	// Escapes and quotes.
	{name: "\\x", yaml: "packages:\n  - \"pk\\x41\"\n", want: []string{"pkA"}},
	{name: "\\u and \\U", yaml: "packages:\n  - \"\\u0041b\"\n  - \"\\U00000042c\"\n  - \"\\u00e9t\\u00C9\"\n", want: []string{"Ab", "Bc", "étÉ"}},
	{name: "one-letter escapes", yaml: "packages:\n  - \"a\\ab\\bc\\vd\\fe\\rf\\eg\\th\\\ti\"\n", want: []string{"a\ab\bc\vd\fe\rf\x1bg\th\ti"}},
	{name: "\\n", yaml: "packages:\n  - \"a\\nb\"\n", want: []string{"a\nb"}},
	{name: "\\0", yaml: "packages:\n  - \"a\\0b\"\n", want: []string{"a\x00b"}, notPnpm: "no file name holds NUL"},
	{name: "escaped space, slash, quote, backslash", yaml: "packages:\n  - \"a\\ b\\/c\\\"d\\\\e\"\n", want: []string{`a b/c"d\e`}, notPnpm: "a backslash is a path separator to pnpm's glob"},
	{name: "escaped space and slash", yaml: "packages:\n  - \"x\\/y\\ z\"\n", want: []string{"x/y z"}},
	{name: "\\N \\_ \\L \\P", yaml: "packages:\n  - \"a\\Nb\\_c\\Ld\\Pe\"\n", want: []string{"a\u0085b\u00a0c\u2028d\u2029e"}},
	{name: "single quote", yaml: "packages:\n  - 'it''s'\n  - 'a\\x41'\n", want: []string{"it's", `a\x41`}, notPnpm: "a backslash is a path separator to pnpm's glob"},
	{name: "single quote only", yaml: "packages:\n  - 'it''s'\n", want: []string{"it's"}},
	{name: "raw UTF-8", yaml: "packages:\n  - \"é\"\n  - ü\n", want: []string{"é", "ü"}},

	// Several lines.
	{name: "plain over lines", yaml: "packages:\n  - a\n    b\n  - c\n", want: []string{"a b", "c"}},
	{name: "plain with a blank line", yaml: "packages:\n  - a  \n\n    b\n", want: []string{"a\nb"}},
	{name: "plain going on with a dash", yaml: "packages:\n  - a\n   - b\n", want: []string{"a - b"}},
	{name: "double-quoted over lines", yaml: "packages:\n  - \"a   \n    b\"\n", want: []string{"a b"}},
	{name: "double-quoted with blank lines", yaml: "packages:\n  - \"a\n\n\n    b\"\n", want: []string{"a\n\nb"}},
	{name: "escaped line break", yaml: "packages:\n  - \"a\\\n    b\"\n", want: []string{"ab"}},
	{name: "escaped line break and a blank line", yaml: "packages:\n  - \"a\\\n\n    b\"\n", want: []string{"a\nb"}},
	{name: "escaped space before the line break", yaml: "packages:\n  - \"a\\ \n    b\"\n", want: []string{"a  b"}},
	{name: "white space before an escaped break", yaml: "packages:\n  - \"a \\\n    b\"\n", want: []string{"a b"}},
	{name: "tab after the indentation", yaml: "packages:\n  - \"a\n   \tb\"\n", want: []string{"a b"}},
	{name: "single-quoted over lines", yaml: "packages:\n  - 'a\n    b'\n", want: []string{"a b"}},
	{name: "flow", yaml: "packages: ['a', \"b\", c ,]\n", want: []string{"a", "b", "c"}},
	{name: "flow over lines", yaml: "packages: [\n  'a', # one\n  b\n]\nx: 1\n", want: []string{"a", "b"}},
	{name: "flow items in column 0", yaml: "packages: [\na,\n\"pk\\x41\"]\n", want: []string{"a", "pkA"}},
	{name: "flow with folded items", yaml: "packages: ['a\n  b', c\n  d]\n", want: []string{"a b", "c d"}},

	// Refused, as pnpm refuses them.
	{name: "tab indentation", yaml: "packages:\n\t- a\n", err: "line 2: a tab used for indentation"},
	{name: "tab indentation after spaces", yaml: "packages:\n  - a\n  \t- b\n", err: "line 3: a tab used for indentation"},
	{name: "tab indenting a quoted item's next line", yaml: "packages:\n  - \"a\n\tb\"\n", err: "line 3: a tab used for indentation"},
	{name: "tab indenting a plain item's next line", yaml: "packages:\n  - a\n\tb\n", err: "line 3: a tab used for indentation"},
	{name: "null item", yaml: "packages:\n  - null\n  - a\n", err: "line 2: an empty item"},
	{name: "empty item", yaml: "packages:\n  -\n  - a\n", err: "line 2: an empty item"},
	{name: "~ item", yaml: "packages:\n  - ~\n", err: "line 2: an empty item"},
	{name: "null in a flow list", yaml: "packages: [a, null]\n", err: "line 1: an empty item"},
	{name: "empty flow item", yaml: "packages: [a,,b]\n", err: "line 1: an empty item in the list"},
	{name: "unterminated quote", yaml: "packages:\n  - 'apps/*\n", err: "line 2: unterminated '-quoted item"},
	{name: "unterminated flow list", yaml: "packages: [a,\n  b\n", err: "line 1: unterminated \"[\" list"},
	{name: "packages is a string", yaml: "packages: apps/*\n", err: "line 1: \"packages\" must be a list"},
	{name: "packages is an indented string", yaml: "packages:\n  -apps\n", err: "line 2: \"packages\" must be a list"},
	{name: "packages twice", yaml: "packages:\n  - a\npackages:\n  - b\n", err: "line 3: \"packages\" appears twice"},
	{name: "unknown escape", yaml: "packages:\n  - \"a\\qb\"\n", err: "line 2: unknown escape \"\\q\""},
	{name: "short \\x", yaml: "packages:\n  - \"a\\x4\"\n", err: "line 2: \"\\x\" needs 2 hexadecimal digits"},
	{name: "surrogate \\u", yaml: "packages:\n  - \"\\ud800\"\n", err: "line 2: \"\\ud800\" is not a Unicode character"},
	{name: "a mapping item", yaml: "packages:\n  - a: b\n", err: "line 2: a mapping as an item"},
	{name: "a quoted mapping item", yaml: "packages:\n  - \"a\": b\n", err: "line 2: a mapping as an item"},
	{name: "a mapping in a flow list", yaml: "packages: [a: b]\n", err: "line 1: a mapping as an item"},
	{name: "a nested list", yaml: "packages:\n  - - a\n", err: "line 2: a list or mapping as an item"},
	{name: "a nested flow list", yaml: "packages: [[a]]\n", err: "line 1: a list or mapping as an item"},
	{name: "plain going on with a mapping", yaml: "packages:\n  - a\n    c: d\n", err: "line 3: a mapping as an item"},
	{name: "text after a comment", yaml: "packages:\n  - a # c\n    b\n", err: "line 3: this line is indented more than the list's items"},
	{name: "text after a quoted item", yaml: "packages:\n  - 'a' b\n", err: "line 2: unexpected \"b\" after the quoted item"},
	{name: "quoted item going on at its dash", yaml: "packages:\n  - \"a\n  b\"\n", err: "line 3: a quoted item goes on in a line not indented past its \"-\""},
	{name: "plain item going on at its dash", yaml: "packages:\n  - a\n  b\n", err: "line 3: expected a list item"},
	{name: "less indented item", yaml: "packages:\n    - a\n  - b\n", err: "line 3: this line is indented less than the list's items"},
	{name: "alias item", yaml: "packages:\n  - */x\n", err: "line 2: an item starting with \"*\" is a YAML alias"},
	{name: "tag item", yaml: "packages:\n  - !a\n  - a\n", err: "line 2: an item starting with \"!\" is a YAML tag"},
	{name: "reserved %", yaml: "packages:\n  - %a\n", err: "line 2: an item may not start with '%' in YAML; quote it"},
	{name: "reserved `", yaml: "packages:\n  - `a\n", err: "line 2: an item may not start with '`' in YAML; quote it"},
	{name: "reserved @", yaml: "packages:\n  - @s/a\n", err: "line 2: an item may not start with '@' in YAML; quote it"},
	{name: "second document", yaml: "packages:\n  - a\n---\npackages:\n  - b\n", err: "line 3: a second YAML document"},
	{name: "top level not a mapping", yaml: "- a\n", err: "line 1: the top level must be a mapping"},
	{name: "text after the list", yaml: "packages: [a]\n  - b\n", err: "line 2: unexpected text after the \"packages\" list"},

	// Refused here, read by pnpm.
	{name: "folded block scalar", yaml: "packages:\n  - >-\n    ab\n    cd\n", err: "line 2: block scalars (| and >) are not supported", pnpmReads: true},
	{name: "literal block scalar", yaml: "packages:\n  - |-\n    ab\n", err: "line 2: block scalars", pnpmReads: true},
	{name: "anchor and alias", yaml: "packages:\n  - &x ab\n  - *x\n", err: "line 2: anchors (&) are not supported", pnpmReads: true},
	{name: "explicit tag", yaml: "packages:\n  - !!str ab\n", err: "line 2: an item starting with \"!\" is a YAML tag", pnpmReads: true},
	{name: "anchored list", yaml: "packages: &p\n  - ab\nother: *p\n", err: "line 1: anchors (&) are not supported", pnpmReads: true},
	{name: "tagged list", yaml: "packages: !!seq\n  - ab\n", err: "line 1: tags (!) are not supported", pnpmReads: true},
	{name: "complex key", yaml: "? packages\n: - ab\n", err: "line 1: complex keys", pnpmReads: true},
	{name: "flow mapping", yaml: "{packages: [ab]}\n", err: "line 1: a flow mapping at the top level is not supported", pnpmReads: true},
	{name: "indented document", yaml: "  packages:\n    - ab\n", err: "line 1: the top level must be a mapping", pnpmReads: true},
}

func TestPackages(t *testing.T) {
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Packages("pnpm-workspace.yaml", []byte(tt.yaml))
			if tt.err != "" {
				if err == nil {
					t.Fatalf("no error; got %q", got)
				}
				checkError(t, err, tt.err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// checkError checks that err is an *Error of one line that names the file
// and holds want.
func checkError(t *testing.T, err error, want string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.File != "pnpm-workspace.yaml" {
		t.Errorf("%T %v is not an *Error for the file", err, err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "pnpm-workspace.yaml line ") || !strings.Contains(msg, want) {
		t.Errorf("error %q\nwant   %q", msg, "pnpm-workspace.yaml "+want+"…")
	}
	if strings.ContainsAny(msg, "\r\n") || strings.HasSuffix(msg, ".") {
		t.Errorf("error is not one line without a trailing period: %q", msg)
	}
}

// FuzzPackages checks that no input makes Packages panic, and that every
// error is one line naming the file.
func FuzzPackages(f *testing.F) {
	for _, tt := range cases {
		f.Add(tt.yaml)
	}
	f.Fuzz(func(t *testing.T, yaml string) {
		if _, err := Packages("pnpm-workspace.yaml", []byte(yaml)); err != nil {
			checkError(t, err, " line ")
		}
	})
}
