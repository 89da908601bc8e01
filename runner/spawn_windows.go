package runner

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/nrunjs/nrun/internal/quote"
)

// startProcess starts one program of a plan on Windows, with nrun's
// console and standard handles, and without cmd.exe wherever cmd.exe
// would do nothing but start it:
//
//   - a line for cmd.exe (shellArgv's form, the extra arguments already
//     quoted as npm quotes them) runs as `%ComSpec% /d /s /c "LINE ARGS"`
//     through SysProcAttr.CmdLine, so that Go's own quoting does not get
//     in between;
//   - an .exe or .com starts directly; Go quotes its arguments with the rules
//     CommandLineToArgvW reverses;
//   - a .cmd written by npm's cmd-shim starts its program directly (node and
//     the bin's script, or the bin itself);
//   - any other batch file, or a file of another type, runs with cmd.exe,
//     its arguments quoted for a batch file as npm quotes them.
//
// The standard files are stdio's, where set, else nrun's own.
func startProcess(path string, argv, env []string, dir string, stdio [3]*os.File) (*exec.Cmd, error) {
	var cmd *exec.Cmd
	var notStarted error // command could not even be built: reported as it is
	err := retryStart(path, argv, func(path string, argv []string) error {
		if cmd, notStarted = command(path, argv, env, dir); notStarted != nil {
			return nil
		}
		if stdio[0] != nil {
			cmd.Stdin = stdio[0]
		}
		if stdio[1] != nil {
			cmd.Stdout = stdio[1]
		}
		if stdio[2] != nil {
			cmd.Stderr = stdio[2]
		}
		return cmd.Start()
	})
	if notStarted != nil {
		return nil, notStarted
	}
	return cmd, err
}

// command builds the exec.Cmd for path and argv; see startProcess.
func command(path string, argv, env []string, dir string) (*exec.Cmd, error) {
	cmd := &exec.Cmd{
		Path: path, Args: argv, Env: env, Dir: dir,
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		SysProcAttr: &syscall.SysProcAttr{},
	}
	if len(argv) == 5 && isCmd(path) && argv[1] == "/d" && argv[2] == "/s" && argv[3] == "/c" {
		cmd.SysProcAttr.CmdLine = cmdExeLine(argv[0], argv[4])
		return cmd, nil
	}
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".exe", ".com":
		return cmd, nil
	case ".cmd", ".bat":
		if s, ok := readCmdShim(path); ok {
			return shimCommand(cmd, s, argv[1:])
		}
		return batchCommand(cmd, path, argv[1:], true)
	default:
		// LookPath takes a name with a slash as written: for
		// ./node_modules/.bin/tsc that is npm's sh shim. cmd.exe would
		// run the tsc.cmd beside it, found with PATHEXT; so does nrun.
		if !hasPathExt(path) {
			for _, c := range withPathExts(path) {
				if fi, err := os.Stat(c); err == nil && fi.Mode().IsRegular() {
					return command(c, argv, env, dir)
				}
			}
		}
		// Another type (.js or .ps1 in PATHEXT): cmd.exe knows its
		// file association.
		return batchCommand(cmd, path, argv[1:], false)
	}
}

// hasPathExt reports whether path's extension is one PATHEXT lists.
func hasPathExt(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	for _, e := range pathExts() {
		if ext != "" && e == ext {
			return true
		}
	}
	return false
}

// cmdExeLine is the command line that makes cmd.exe run line exactly: with
// /s, cmd removes the first and the last quote and reads what is between
// as typed. /d skips the AutoRun commands of the registry, as npm does.
func cmdExeLine(comspec, line string) string {
	return syscall.EscapeArg(comspec) + ` /d /s /c "` + line + `"`
}

// isBatch reports whether the program a cmd.exe line starts with is a
// batch file, found on path as cmd.exe will find it (quotes, which npm's
// lookup does not understand either, make it fall back to the name).
func isBatch(prog, path, dir string) bool {
	if p, err := LookPath(prog, path, dir); err == nil {
		prog = p
	}
	p := strings.ToLower(prog)
	return strings.HasSuffix(p, ".cmd") || strings.HasSuffix(p, ".bat")
}

// batchCommand runs a file with cmd.exe: the file's path in quotes, then
// its arguments quoted for cmd.exe (for a batch file, doubly).
func batchCommand(cmd *exec.Cmd, path string, args []string, batch bool) (*exec.Cmd, error) {
	for _, a := range args {
		if !quote.CmdSafe(a) {
			return nil, fmt.Errorf("argument %q: cmd.exe cannot be given a line break (%s is a batch file)", a, path)
		}
	}
	comspec := defaultShell()
	cmd.Path = comspec
	if p, err := LookPath(comspec, os.Getenv("PATH"), cmd.Dir); err == nil {
		cmd.Path = p
	}
	cmd.Args = append([]string{comspec, "/d", "/s", "/c", path}, args...)
	cmd.SysProcAttr.CmdLine = cmdExeLine(comspec, quote.AppendCmd(`"`+path+`"`, args, batch))
	return cmd, nil
}

// shimCommand starts what a cmd-shim would start: its program (the
// node.exe beside it if there is one, else the first on PATH) with the #!
// line's arguments, the bin's script and args.
func shimCommand(cmd *exec.Cmd, s cmdShim, args []string) (*exec.Cmd, error) {
	env := NewEnv(cmd.Env)
	for _, kv := range s.vars {
		env.SetPair(kv)
	}
	cmd.Env = env.List()
	// The shim's cmd.exe would look for a program named without a path
	// in its current directory first.
	prog, err := s.program(commandPath(env, cmd.Dir), cmd.Dir)
	if err != nil {
		return nil, err
	}
	var argv []string
	if s.target != "" {
		argv = append(append(append([]string{prog}, s.args...), s.target), args...)
	} else {
		argv = append([]string{prog}, args...)
	}
	cmd.Path, cmd.Args = prog, argv
	switch strings.ToLower(filepath.Ext(prog)) {
	case ".exe", ".com":
		return cmd, nil
	}
	// node.cmd, or a bin that is a batch file or a script itself: cmd.exe,
	// once.
	return batchCommand(cmd, prog, argv[1:], isBatch(prog, "", ""))
}

// program finds the shim's program: a path if the file exists, a name on
// PATH, in the shim's order.
func (s cmdShim) program(path, dir string) (string, error) {
	for _, p := range s.progs {
		if !filepath.IsAbs(p) {
			found, err := LookPath(p, path, dir)
			if err == nil && !filepath.IsAbs(found) {
				found = filepath.Join(dir, found)
			}
			return found, err
		}
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: %w", s.progs[len(s.progs)-1], ErrNotFound)
}
