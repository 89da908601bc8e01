package envfile

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// awkward are files that exercise every rule of the package comment.
var awkward = []struct{ name, data string }{
	{"quotes", "SINGLE='single # not a comment'\nDOUBLE=\"double \\n newline\"\nBACK=`back 'n' \"forth\"`\nEMPTY_Q=\"\"\nMIXED=\"it's\"\n"},
	{"hash", "A=value # comment\nB=value#tight\nC=\"in # quotes\"\nD='x'#after\n# whole line\nE=#\nF= # only a comment\n"},
	{"multiline", "M=\"line1\nline2\"\nS='a\nb'\nB=`x\n\ny`\nAFTER=1\n"},
	{"multiline with equals", "M='a\nB=2\nc'\nN=3\n"},
	{"export", "export A=1\nexport  B=2\nexport=3\nexportC=4\n  export D = 5 \nexport\tE=6\n"},
	{"blank and comment lines", "\n\n# c\n   \nA=1\n\n\n#B=2\n  C=3\n"},
	{"indented comment", "A=1\n  # c\nB=2\n"},
	{"crlf", "A=1\r\nB=\"x\r\ny\"\r\n# c\r\nC='z'\r\nD=plain value \r\n"},
	{"lone cr", "A=1\rB=2\n"},
	{"duplicates", "A=1\nA=2\nB=x\nB=\nB=last\n"},
	{"spaces", "A = 1\nB=   spaced   \nC =\"q\"  \nD\t=\ttab\n   E=lead\nF=  'sq'  \n"},
	{"empty values", "A=\nB=   \nC=\"\"\nD=''\nE=``\nF"},
	{"odd names", "a.b-c=1\n1X=2\nÜ=3\nK E Y=4\n$V=5\n[s]=6\n"},
	{"no equals", "junk\nA=1\nmore junk\n"},
	{"section-like line", "[section]\nA=1\n"},
	{"empty name", "A=1\n=x\nB=2\n"},
	{"unclosed quotes", "A=\"open\nB=2\nC='x # kept  \nD=`y\n"},
	{"unclosed at the end", "A=1\nB='x=1"},
	{"backslashes", "A=\"a\\\\nb\"\nB=\"tab\\t\"\nC='x\\ny'\nD=\"\\\\\"\nE=plain\\n\n"},
	{"no final newline", "A=1\nB=\"q\""},
	{"equals in values", "A=b=c\nB=\"x=y\"\nC=a=b=c"},
	{"comment on the last line", "A=1\n#B=2"},
	{"text after a closing quote", "A=\"x\" junk\nB='y'z\nC=`w`  # c\n"},
	{"quote inside a plain value", "A=it's\nB=say \"hi\"\nC=a`b\n"},
	{"nested quotes", "A=\"'inner'\"\nB='\"inner\"'\nC=`'\"`\n"},
	{"byte order mark", "\ufeffA=1\nB=2\n"},
	{"unicode", "GREETING=héllo wörld ✓\nQ=\"日本\"\n"},
	{"leading and trailing space in the file", "   A=1\nB=2   "},
	{"tabs", "\tA=1\nB=\t2\t\nC=\"\t\"\n"},
	{"empty", ""},
	{"only comments", "# a\n# b\n"},
	{"only spaces", "    "},
	{"node options", "NODE_OPTIONS=--max-old-space-size=64\n"},
}

// TestParseMatchesNode compares the reader with node's on the awkward files.
func TestParseMatchesNode(t *testing.T) {
	for _, c := range awkward {
		t.Run(c.name, func(t *testing.T) { compareWithNode(t, c.data) })
	}
}

// TestParseMatchesNodeGenerated compares the reader with node's on many
// files made of the characters the reader gives meaning to.
func TestParseMatchesNodeGenerated(t *testing.T) {
	requireNode(t)
	pieces := []string{"A", "b", "=", "=", "#", "'", "\"", "`", "\n", "\n", "\r\n", "\r", " ", "  ", "\t", "export ", "\\n", "\\", "x y", "[", "é"}
	rng := rand.New(rand.NewPCG(17, 11))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	files := make([]string, n)
	for i := range files {
		var b strings.Builder
		for range rng.IntN(24) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		files[i] = b.String()
	}
	compareWithNode(t, files...)
}

// FuzzEnvFile compares the reader with node's on fuzzed files. Bytes that
// are not UTF-8 are replaced first: node receives the file as a string, and
// the reader treats every non-ASCII byte alike anyway.
func FuzzEnvFile(f *testing.F) {
	for _, c := range awkward {
		f.Add([]byte(c.data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := strings.ToValidUTF8(string(data), "\uFFFD")
		compareWithNode(t, s)
		// Parse rejects exactly what node would mangle.
		_, err := Parse([]byte(s))
		mangled := slices.ContainsFunc(parse(s), func(kv KV) bool {
			return strings.ContainsRune(kv.Key+kv.Value, 0)
		})
		if (err != nil) != mangled {
			t.Errorf("Parse(%q): error %v, NUL in a name or value: %v", s, err, mangled)
		}
	})
}

// TestLoadMatchesNodeEnvFile runs `node --env-file` on the awkward files,
// alone and in pairs, with variables inherited from the environment, and
// checks that the environment node's program sees is the one Load, Merge
// and Apply make.
func TestLoadMatchesNodeEnvFile(t *testing.T) {
	node := requireNode(t)
	dir := t.TempDir()
	write := func(name, data string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o666); err != nil {
			t.Fatal(err)
		}
		return path
	}
	base := []string{"INHERITED=from the environment", "EMPTY_INHERITED=", "SINGLE=inherited"}
	type run struct {
		name  string
		files []string
	}
	var runs []run
	prev := ""
	for _, c := range awkward {
		file := write(strings.ReplaceAll(c.name, " ", "_")+".env", c.data)
		runs = append(runs, run{c.name, []string{file}})
		if prev != "" { // a pair: the later file wins
			runs = append(runs, run{c.name + " after the previous", []string{prev, file}})
		}
		prev = file
	}
	earlier := write("earlier.env", "A=from earlier\nB=from earlier\nINHERITED=from earlier\nEMPTY_INHERITED=from earlier\n")
	later := write("later.env", "B=from later\nC=from later\nINHERITED=from later\n")
	runs = append(runs, run{"later wins, inherited wins over both", []string{earlier, later}})
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			args := []string{}
			var files []File
			for _, f := range r.files {
				args = append(args, "--env-file="+f)
				files = append(files, File{Path: f})
			}
			args = append(args, "-e", "process.stdout.write(JSON.stringify(process.env))")
			cmd := exec.Command(node, args...)
			cmd.Env = base
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("node %v: %v", args, err)
			}
			var want map[string]string
			if err := json.Unmarshal(out, &want); err != nil {
				t.Fatalf("node printed %s: %v", out, err)
			}
			loaded, err := Load(files)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			got := map[string]string{}
			for _, kv := range Apply(base, Merge(loaded)) {
				k, v, _ := strings.Cut(kv, "=")
				got[k] = v
			}
			if !maps.Equal(got, want) {
				t.Errorf("files %v:\nnrun: %s\nnode: %s", r.files, jsonOf(got), jsonOf(want))
			}
		})
	}
}
