package runner

import (
	"os"
	"path/filepath"
	"strings"
)

// cmdShim is what a node_modules/.bin/*.cmd file written by npm's cmd-shim
// runs: a program (node, or whatever the bin's #! names) with the #!
// line's arguments, the bin's script and the shim's own arguments (%*).
// nrun starts that program itself: no cmd.exe, so no "Terminate batch job
// (Y/N)?" on Ctrl-C and no second parse of the arguments by cmd.
type cmdShim struct {
	// progs are the programs the shim tries, in order: a path (the
	// node.exe beside the shim) used when the file exists, else a name
	// looked up on PATH. For a bin that is a program itself, the bin.
	progs  []string
	args   []string // the #! line's arguments, before the script
	target string   // the bin's script; "" when progs[0] is the bin itself
	vars   []string // NAME=value pairs of a `#!/usr/bin/env -S NAME=value prog` line
}

// readCmdShim reads path and parses it as a cmd-shim; ok is false for any
// other batch file, which then runs with cmd.exe.
func readCmdShim(path string) (cmdShim, bool) {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() > 16<<10 {
		return cmdShim{}, false
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return cmdShim{}, false
	}
	return parseCmdShim(string(b), filepath.Dir(path))
}

// parseCmdShim recognises the .cmd files of cmd-shim 4 to 8 (npm 7 and
// later) and the older two-branch form of cmd-shim 2 and 3 (npm 6, yarn
// 1): every line must be one the generator writes, so a batch file that
// only looks like a shim (pnpm's, which also set NODE_PATH, or a
// hand-edited one) is not taken for one. dir is the shim's directory, what
// %dp0% and %~dp0 stand for.
func parseCmdShim(text, dir string) (cmdShim, bool) {
	var s cmdShim
	var setProgs []string // SET "_prog=..." values, in order
	var lines []execLine
	for _, raw := range strings.Split(text, "\n") {
		l := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		l = strings.TrimSpace(strings.TrimPrefix(l, "@"))
		low := strings.ToLower(l)
		switch {
		case l == "", low == "echo off", low == "goto start", low == ":find_dp0", low == "set dp0=%~dp0",
			low == "exit /b", low == ":start", low == "setlocal", low == "call :find_dp0", low == "endlocal",
			low == "exit /b %errorlevel%", low == ")", low == ") else (", low == "set pathext=%pathext:;.js;=;%":
		case strings.HasPrefix(low, "if exist \"") && strings.HasSuffix(low, "\" ("):
			// The branch's own line names the same file.
		case strings.HasPrefix(low, `set "_prog=`) && strings.HasSuffix(l, `"`):
			setProgs = append(setProgs, l[len(`set "_prog=`):len(l)-1])
		case strings.HasSuffix(l, "%*"):
			el, ok := parseExecLine(l)
			if !ok {
				return s, false
			}
			lines = append(lines, el)
		case strings.HasPrefix(low, "set "):
			name, value, ok := strings.Cut(l[len("set "):], "=")
			if !ok || !isEnvName(name) || strings.ContainsAny(value, `%"^&|<>!`) {
				return s, false
			}
			s.vars = append(s.vars, name+"="+value)
		default:
			return s, false
		}
	}
	if len(lines) == 0 {
		return s, false
	}
	for i, el := range lines {
		// The old form's two branches run the same script the same way.
		if el.target != lines[0].target || strings.Join(el.args, " ") != strings.Join(lines[0].args, " ") {
			return s, false
		}
		switch {
		case el.prog == "":
			if len(lines) != 1 || len(el.args) > 0 {
				return s, false
			}
			s.progs = []string{dp0(el.target, dir)}
			return s, s.progs[0] != ""
		case strings.EqualFold(el.prog, "%_prog%"):
			if i > 0 || len(setProgs) == 0 {
				return s, false
			}
			for _, p := range setProgs {
				s.progs = append(s.progs, dp0(p, dir))
			}
		default:
			s.progs = append(s.progs, dp0(el.prog, dir))
		}
	}
	for _, p := range s.progs {
		if p == "" {
			return s, false
		}
	}
	s.args = lines[0].args
	s.target = dp0(lines[0].target, dir)
	return s, s.target != ""
}

// execLine is the line of a shim that runs the program.
type execLine struct {
	prog   string   // as written, without quotes; "" when the target is run itself
	args   []string // between the program and the target
	target string   // as written: %dp0%\..\pkg\bin\cli.js
}

// parseExecLine reads `[endLocal & goto #_undefined_# 2>NUL || title
// %COMSPEC% & ]["prog"|prog] [args] "%dp0%\target" %*`.
func parseExecLine(l string) (execLine, bool) {
	var el execLine
	l = strings.TrimSpace(strings.TrimSuffix(l, "%*"))
	const guard = "endlocal & goto #_undefined_# 2>nul || title %comspec% & "
	if strings.HasPrefix(strings.ToLower(l), guard) {
		l = l[len(guard):]
	}
	if !strings.HasSuffix(l, `"`) {
		return el, false
	}
	open := strings.LastIndexByte(l[:len(l)-1], '"')
	if open < 0 {
		return el, false
	}
	el.target = l[open+1 : len(l)-1]
	if !hasDp0(el.target) {
		return el, false
	}
	pre := strings.TrimSpace(l[:open])
	if strings.ContainsAny(pre, `&|<>^!()`) {
		return el, false
	}
	if pre == "" {
		return el, true
	}
	if pre[0] == '"' {
		end := strings.IndexByte(pre[1:], '"')
		if end < 0 {
			return el, false
		}
		el.prog, pre = pre[1:1+end], pre[2+end:]
		if pre != "" && pre[0] != ' ' && pre[0] != '\t' {
			return el, false
		}
	} else {
		end := strings.IndexAny(pre, " \t")
		if end < 0 {
			end = len(pre)
		}
		el.prog, pre = pre[:end], pre[end:]
	}
	el.args = strings.Fields(pre)
	for _, a := range el.args {
		if strings.ContainsAny(a, `"%`) {
			return el, false
		}
	}
	if strings.Contains(el.prog, "%") && !strings.EqualFold(el.prog, "%_prog%") && !hasDp0(el.prog) {
		return el, false
	}
	return el, el.prog != ""
}

func hasDp0(s string) bool {
	low := strings.ToLower(s)
	return strings.HasPrefix(low, `%dp0%\`) || strings.HasPrefix(low, `%~dp0\`)
}

// dp0 resolves a shim's %dp0%\rest or %~dp0\rest against its directory;
// a plain name stays as it is (it is looked up on PATH). It returns "" for
// any other use of %.
func dp0(s, dir string) string {
	if hasDp0(s) {
		rest := s[len(`%dp0%`):] // as long as %~dp0
		if strings.Contains(rest, "%") {
			return ""
		}
		return filepath.Join(dir, rest)
	}
	if strings.Contains(s, "%") {
		return ""
	}
	return s
}

func isEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
