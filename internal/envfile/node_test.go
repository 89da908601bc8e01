package envfile

// The oracle is the machine's node: util.parseEnv runs the same reader as
// --env-file (one process answers many inputs, which keeps the generated
// and fuzzed comparisons cheap), and TestLoadMatchesNodeEnvFile runs
// `node --env-file` itself on files, with an inherited environment.

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// nodeMajor is the Node whose rules the package follows.
const nodeMajor = 20

// parseEnvJS answers one line of base64 input with one line of JSON: what
// util.parseEnv makes of it, or {"error": message}.
const parseEnvJS = `
const { parseEnv } = require('node:util');
const rl = require('node:readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let out;
  try { out = parseEnv(Buffer.from(line, 'base64').toString('utf8')); }
  catch (e) { out = { error: String(e) }; }
  process.stdout.write(JSON.stringify(out) + '\n');
});
`

// nodeParser is one node process running parseEnvJS, shared by the tests
// of this package and ended by TestMain.
type nodeParser struct {
	mu  sync.Mutex
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
}

var (
	theNodeParser    *nodeParser
	theNodeParserErr error
	nodeParserOnce   sync.Once
)

func TestMain(m *testing.M) {
	code := m.Run()
	if p := theNodeParser; p != nil {
		p.in.Close() // node exits at the end of its input
		p.cmd.Wait()
	}
	os.Exit(code)
}

// requireNode returns the path of a node whose rules this package follows,
// or skips the test saying why there is none.
func requireNode(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("node")
	if err != nil {
		t.Skipf("no node on PATH to compare with: %v", err)
	}
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		t.Fatalf("node --version: %v", err)
	}
	v := strings.TrimSpace(string(out))
	major, _, _ := strings.Cut(strings.TrimPrefix(v, "v"), ".")
	if major != strconv.Itoa(nodeMajor) {
		t.Skipf("node here is %s; nrun follows Node %d's rules, which later Nodes changed in corner cases", v, nodeMajor)
	}
	return path
}

// nodeParse returns what node's reader makes of each of files.
func nodeParse(t testing.TB, files ...string) []map[string]string {
	t.Helper()
	path := requireNode(t)
	nodeParserOnce.Do(func() {
		cmd := exec.Command(path, "-e", parseEnvJS)
		cmd.Stderr = os.Stderr
		in, err := cmd.StdinPipe()
		if err != nil {
			theNodeParserErr = err
			return
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			theNodeParserErr = err
			return
		}
		if err := cmd.Start(); err != nil {
			theNodeParserErr = err
			return
		}
		sc := bufio.NewScanner(out)
		sc.Buffer(nil, 64<<20)
		theNodeParser = &nodeParser{cmd: cmd, in: in, out: sc}
	})
	if theNodeParserErr != nil {
		t.Fatalf("starting node: %v", theNodeParserErr)
	}
	p := theNodeParser
	p.mu.Lock()
	defer p.mu.Unlock()
	// Written while the answers are read, so that neither pipe fills up.
	written := make(chan error, 1)
	go func() {
		w := bufio.NewWriter(p.in)
		for _, f := range files {
			fmt.Fprintln(w, base64.StdEncoding.EncodeToString([]byte(f)))
		}
		written <- w.Flush()
	}()
	answers := make([]map[string]string, len(files))
	for i := range files {
		if !p.out.Scan() {
			t.Fatalf("node ended: %v", p.out.Err())
		}
		if err := json.Unmarshal(p.out.Bytes(), &answers[i]); err != nil {
			t.Fatalf("node's answer %s: %v", p.out.Bytes(), err)
		}
	}
	if err := <-written; err != nil {
		t.Fatalf("writing to node: %v", err)
	}
	return answers
}

// parsedMap is what parse gives, as node's object shows it: each name once
// with its last value.
func parsedMap(kvs []KV) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		m[kv.Key] = kv.Value
	}
	return m
}

// compareWithNode checks that the reader agrees with node on each of
// files, which must be UTF-8 (node's strings cannot carry anything else).
func compareWithNode(t *testing.T, files ...string) {
	t.Helper()
	for i, want := range nodeParse(t, files...) {
		if got := parsedMap(parse(files[i])); !maps.Equal(got, want) {
			t.Errorf("file %q:\nnrun: %s\nnode: %s", files[i], jsonOf(got), jsonOf(want))
		}
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
