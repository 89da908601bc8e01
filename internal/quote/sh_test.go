package quote

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// TestShRoundTrip proves with /bin/sh that quoted arguments arrive as typed.
func TestShRoundTrip(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("SKIP: no /bin/sh")
	}
	out, err := exec.Command("/bin/sh", "-c", AppendSh(`printf '%s\0'`, awkward)).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := bytes.Split(bytes.TrimSuffix(out, []byte{0}), []byte{0})
	if len(got) != len(awkward) {
		t.Fatalf("sh saw %d arguments, want %d: %q", len(got), len(awkward), got)
	}
	for i, a := range awkward {
		if string(got[i]) != a {
			t.Errorf("argument %d: sh saw %q, want %q", i, got[i], a)
		}
	}
}

func ExampleShLine() {
	// The extra arguments of `npm start -- --port 80 "a b"`, with exec
	// before the line's last command, which starts at offset 7.
	fmt.Println(ShLine("tsc && node server.js", []string{"--port", "80", "a b"}, 7))
	// Output: tsc && exec node server.js --port 80 'a b'
}

func ExampleCmd() {
	fmt.Println(Cmd("a b & c", false))
	fmt.Println(Cmd("50%", true))
	// Output:
	// ^"a^ b^ ^&^ c^"
	// 50^^^%
}
