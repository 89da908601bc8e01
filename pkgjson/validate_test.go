package pkgjson

import (
	"encoding/json"
	"strings"
	"testing"
)

var validateCases = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `1.5e+10`, `-1E-2`, `true`, `false`, `null`, ` {"a" : [1, 2, {"b": null}]} `,
	`{"a":"\u00e9\n\"\\\/\b\f\r\t"}`, "\t\n\r []", `{"a":1,"a":2}`,
	``, ` `, `{`, `}`, `[`, `]`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[,1]`, `{,}`, `01`, `1.`, `.1`, `1e`, `+1`,
	`-`, `--1`, `"a`, `"\x"`, `"\u12"`, `"\u12G4"`, "\"a\x01\"", `tru`, `nul`, `truex`, `[1 2]`, `{"a":1 "b":2}`,
	`{} {}`, `[]]`, `[}`, `{]`, `{"a":[}`, `{1:2}`, `'a'`, `NaN`, `[1,2`, `{"a":1`,
}

func TestCheckJSONAgreesWithEncodingJSON(t *testing.T) {
	for _, c := range validateCases {
		if ok, _ := checkJSON([]byte(c)); ok != json.Valid([]byte(c)) {
			t.Errorf("checkJSON(%q) = %v, encoding/json says %v", c, ok, !ok)
		}
	}
}

func TestCheckJSONDepth(t *testing.T) {
	for _, tc := range []struct {
		depth int
		deep  bool
	}{{maxDepth, false}, {maxDepth + 1, true}, {100000, true}} {
		doc := `{"x":` + strings.Repeat("[", tc.depth-1) + strings.Repeat("]", tc.depth-1) + `}`
		ok, deep := checkJSON([]byte(doc))
		if (deep >= 0) != tc.deep || !tc.deep && !ok {
			t.Errorf("depth %d: ok %v, deep at %d", tc.depth, ok, deep)
		}
		if tc.deep && deep != 5+maxDepth-1 {
			t.Errorf("depth %d: deep at %d, want the bracket at offset %d", tc.depth, deep, 5+maxDepth-1)
		}
	}
}

// FuzzCheckJSON holds checkJSON to encoding/json on documents within the
// depth limit.
func FuzzCheckJSON(f *testing.F) {
	for _, c := range validateCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		ok, deep := checkJSON([]byte(doc))
		if deep >= 0 {
			return
		}
		if want := json.Valid([]byte(doc)); ok != want {
			t.Errorf("checkJSON(%q) = %v, encoding/json says %v", doc, ok, want)
		}
	})
}
