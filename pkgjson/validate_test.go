package pkgjson

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

var validateCases = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `1.5e+10`, `-1E-2`, `true`, `false`, `null`, ` {"a" : [1, 2, {"b": null}]} `,
	`{"a":"\u00e9\n\"\\\/\b\f\r\t"}`, "\t\n\r []", `{"a":1,"a":2}`,
	``, ` `, `{`, `}`, `[`, `]`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[,1]`, `{,}`, `01`, `1.`, `.1`, `1e`, `+1`,
	`-`, `--1`, `"a`, `"\x"`, `"\u12"`, `"\u12G4"`, "\"a\x01\"", `tru`, `nul`, `truex`, `[1 2]`, `{"a":1 "b":2}`,
	// Control characters at each position of the eight-byte words, beside
	// bytes that only look small once borrowed from.
	"\"abcdefg\x1fhijklmnop\"", "\"abcdefghijklmno\x00\"", "\"\x7f\x80\xa0\xff\x20\x21\xa0\x9f\x7f\x80\xa0\xff\"",
	"\"\xa0\xa0\xa0\xa0\xa0\xa0\xa0\x01\"", "\"\\\"\\\\\\u0041 \x1f\"", `"\\\\\"x\\"`, `"a\"b\"c\\"`,
	`{} {}`, `[]]`, `[}`, `{]`, `{"a":[}`, `{1:2}`, `'a'`, `NaN`, `[1,2`, `{"a":1`,
}

func TestCheckJSONAgreesWithEncodingJSON(t *testing.T) {
	for _, c := range validateCases {
		if ok, _ := checkJSON([]byte(c)); ok != json.Valid([]byte(c)) {
			t.Errorf("checkJSON(%q) = %v, encoding/json says %v", c, ok, !ok)
		}
	}
}

// TestCheckJSONLongStrings puts quotes, escapes and control characters
// on each side of the edges of the windows long strings are read in.
func TestCheckJSONLongStrings(t *testing.T) {
	const window = 8 << 10 // scanString's
	specials := []string{`"`, `\"`, `\\`, `\u0041`, `\`, `\u00`, "\x01", "\x1f", `\q`, "\n"}
	n := 0
	for _, edge := range []int{window, 2 * window, 3 * window} {
		for off := -7; off <= 7; off++ {
			for _, sp := range specials {
				// The string opens at offset 5: {"a":"
				body := strings.Repeat("x", edge+off-6) + sp + strings.Repeat("y", 20)
				for _, doc := range []string{`{"a":"` + body + `"}`, `{"a":"` + body} {
					n++
					if ok, _ := checkJSON([]byte(doc)); ok != json.Valid([]byte(doc)) {
						t.Errorf("special %q at offset %d: checkJSON says %v", sp, edge+off, ok)
					}
				}
			}
		}
	}
	if big := `{"a":"` + strings.Repeat("\\n", 3*window) + `"}`; !json.Valid([]byte(big)) || !must(checkJSON([]byte(big))) {
		t.Error("a string of escapes across windows")
	}
}

func must(ok bool, _ int) bool { return ok }

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

// recordCases are objects whose members the one-pass scan must record as a
// separate walk with gjson finds them.
var recordCases = []string{
	`{}`, ` { "a" : 1 , "b" : [ 1 , { "c" : 2 } ] , "d" : { } } `,
	`{"scripts":{"a":"1","b":{"x":["y"]},"c":[1,[2]],"d":null,"e":-1.5e3,"a":"2"}}`,
	`{"scripts":{"a":"1"},"name":"x","scripts":{"c":"3","\u0063":"4"},"name":7}`,
	`{"scripts":"no","x":{"scripts":{"inner":"1"}},"scripts":{"10":"a","2":"b"}}`,
	`{"s\u0063ripts":{"a":"b"},"scripts":[{"a":"b"}]}`,
	`{"scripts":{}}`, `{"scripts":{"a":{}},"z":true}`,
}

// TestScanRecordsWhatGjsonFinds compares the members scanJSON records with
// a second, independent walk of the same text: the top-level fields in file
// order, and the winning "scripts" object's members as JSON.parse keeps them.
func TestScanRecordsWhatGjsonFinds(t *testing.T) {
	for _, c := range recordCases {
		checkRecorded(t, c)
	}
}

// FuzzScanRecords is TestScanRecordsWhatGjsonFinds on any valid object.
func FuzzScanRecords(f *testing.F) {
	for _, c := range recordCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		if ok, deep := checkJSON([]byte(doc)); !ok || deep >= 0 || !gjson.Parse(doc).IsObject() {
			return
		}
		checkRecorded(t, doc)
	})
}

func checkRecorded(t *testing.T, doc string) {
	t.Helper()
	var r scanned
	if ok, deep := scanJSON([]byte(doc), &r); !ok || deep >= 0 {
		t.Fatalf("scanJSON(%q) = %v, %d", doc, ok, deep)
	}
	var fields []field
	gjson.Parse(doc).ForEach(func(k, v gjson.Result) bool {
		fields = append(fields, field{jsString(k.Raw), v.Raw})
		return true
	})
	if !slices.Equal(r.fields, fields) {
		t.Errorf("%q: fields\n got %q\nwant %q", doc, r.fields, fields)
	}
	p := &Package{fields: r.fields}
	raw, ok := p.Field("scripts")
	if !ok || raw[0] != '{' {
		return
	}
	got, want := recordedMembers(doc, r.scripts, p.lastField("scripts")), jsMembers(gjson.Parse(raw))
	if !slices.EqualFunc(got, want, func(a keyed[string], b member) bool { return a.key == b.key && a.val == b.val.Raw }) {
		t.Errorf("%q: scripts\n got %v\nwant %v", doc, got, want)
	}
}
