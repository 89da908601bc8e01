package shell

import "testing"

// planLines are typical script lines, one per shape nrun meets on its start
// path: a plain program, a list, assignments and variables, a nested
// runner call run in place, and a line that falls back to the shell.
var planLines = []struct{ name, line string }{
	{"simple", "node server.js"},
	{"list", "tsc -p . && node dist/index.js --port 3000"},
	{"vars", `NODE_ENV=production node "$HOME/app.js" --port ${PORT}`},
	{"nested", "npm run build && npm run lint -- --fix"},
	{"shell", "eslint . --ext .js,.ts | tee lint.log"},
}

// BenchmarkNew plans each typical line, as nrun does once per script it
// runs (hooks included), between reading package.json and the execve.
func BenchmarkNew(b *testing.B) {
	for _, tc := range planLines {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				New(tc.line, nil, testEnv, testScripts)
			}
		})
	}
}

// BenchmarkNewArgs: extra arguments are appended before planning, so they
// cost a quote and a re-lex each.
func BenchmarkNewArgs(b *testing.B) {
	args := []string{"--watch", "a b", "it's"}
	b.ReportAllocs()
	for b.Loop() {
		New("jest --coverage", args, testEnv, testScripts)
	}
}
