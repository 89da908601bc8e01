package collate

import (
	"encoding/json"
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTable rebuilds asciiPrimary from order, the readable form of ICU's
// ASCII order, so the two cannot drift apart.
func TestTable(t *testing.T) {
	var want [utf8.RuneSelf]uint8
	for i := 0; i < len(order); i++ {
		c := order[i]
		want[c] = uint8(i + 1)
		if 'a' <= c && c <= 'z' {
			want[c-'a'+'A'] = uint8(i + 1)
		}
	}
	if asciiPrimary != want {
		for c := range want {
			if asciiPrimary[c] != want[c] {
				t.Errorf("asciiPrimary[%q] = %d, order gives %d", rune(c), asciiPrimary[c], want[c])
			}
		}
	}
}

func TestCompare(t *testing.T) {
	// localeCompare(…, "en") order, as node prints it.
	want := []string{"_x", "~x", "$", "10", "9", "a", "a b", "a_b", "a-", "a-b", "a!", "a.b", "a[", "a@", "a/b", "a#",
		"a1", "a10", "a9", "ab", "ab", "aB", "Ab", "bat", "Cat", "z", "zé"}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortStableFunc(got, Compare)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// Equal to ICU, but still ordered: the order is total.
	if Compare("a\x01", "a") != 1 || Compare("a", "a\x01") != -1 || Compare("a", "a") != 0 {
		t.Errorf("ties are not broken bytewise")
	}
}

// TestCompareMatchesNode compares Compare with node's localeCompare on many
// ASCII strings.
func TestCompareMatchesNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("SKIP: node not installed; Compare was not compared with localeCompare")
	}
	const alphabet = "aAbBzZ09-_./ @~$\t#[!"
	var pairs [][2]string
	seed := uint32(1)
	next := func() string {
		seed = seed*1664525 + 1013904223
		n := int(seed>>28) % 5
		var b strings.Builder
		for range n {
			seed = seed*1664525 + 1013904223
			b.WriteByte(alphabet[int(seed>>24)%len(alphabet)])
		}
		return b.String()
	}
	for range 3000 {
		a := next()
		b := next()
		if len(pairs)%5 == 0 && len(a) > 0 { // share prefixes often
			b = a[:len(a)/2] + b
		}
		pairs = append(pairs, [2]string{a, b})
	}
	in, _ := json.Marshal(pairs)
	cmd := exec.Command(node, "-e", `
let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
  const out = JSON.parse(s).map(([a, b]) => Math.sign(a.localeCompare(b, "en")));
  process.stdout.write(JSON.stringify(out));
});`)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var signs []int
	if err := json.Unmarshal(out, &signs); err != nil {
		t.Fatal(err)
	}
	bad := 0
	for i, p := range pairs {
		got := Compare(p[0], p[1])
		if signs[i] == 0 { // ICU calls them equal; Compare breaks the tie
			got = 0
			if level(p[0], p[1], primary) != 0 || level(p[0], p[1], caseWeight) != 0 {
				got = 2
			}
		}
		if got != signs[i] {
			if bad++; bad <= 20 {
				t.Errorf("Compare(%q, %q) = %d, localeCompare says %d", p[0], p[1], got, signs[i])
			}
		}
	}
}
