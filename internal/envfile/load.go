package envfile

import (
	"errors"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strings"
)

// File is an environment file named on the command line.
type File struct {
	Path     string
	IfExists bool // --env-file-if-exists: a file that does not exist is skipped
}

// Loaded is what one file gave.
type Loaded struct {
	File
	Missing bool // skipped: IfExists and the file does not exist
	Vars    []KV // in the order of the file, repeated names included
}

// Load reads the files in order. A file that does not exist is an error
// unless IfExists; so is one that cannot be read or that Parse rejects.
// Node also skips an --env-file-if-exists file it may not open; nrun
// reports that one, since the file is there and was meant to be read.
func Load(files []File) ([]Loaded, error) {
	out := make([]Loaded, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f.Path)
		switch {
		case err != nil && f.IfExists && errors.Is(err, fs.ErrNotExist):
			out = append(out, Loaded{File: f, Missing: true})
			continue
		case errors.Is(err, fs.ErrNotExist):
			return nil, &Error{File: f.Path, Msg: "not found", Err: err}
		case err != nil:
			return nil, &Error{File: f.Path, Msg: causeOf(err), Err: err}
		}
		vars, err := Parse(data)
		if err != nil {
			e := err.(*Error)
			e.File = f.Path
			return nil, e
		}
		for i := range vars {
			vars[i].File = f.Path
		}
		out = append(out, Loaded{File: f, Vars: vars})
	}
	return out, nil
}

// causeOf is the reason of a file error without the operation and path
// that the message shows already.
func causeOf(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Merge returns what the files set, each name once with its last value
// (later files win over earlier ones, as later lines over earlier ones),
// sorted by name: the order in which Node sets them, which decides, where
// names differ only in case on Windows, which one the environment gets.
func Merge(loaded []Loaded) []KV {
	last := map[string]KV{}
	for _, l := range loaded {
		for _, kv := range l.Vars {
			last[kv.Key] = kv
		}
	}
	out := make([]KV, 0, len(last))
	for _, kv := range last {
		out = append(out, kv)
	}
	slices.SortFunc(out, func(a, b KV) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// Apply returns environ followed by NAME=value for each variable Added
// finds.
func Apply(environ []string, vars []KV) []string {
	out := slices.Clip(environ)
	for _, kv := range Added(environ, vars) {
		out = append(out, kv.Key+"="+kv.Value)
	}
	return out
}

// Added returns those of vars (as Merge returns them) whose name environ
// does not have: a variable the process already has wins over every file,
// even when its value is empty. Names compare as the OS compares them
// (regardless of case on Windows), and of two names that differ only in
// case there the first is taken, as Node does.
func Added(environ []string, vars []KV) []KV {
	have := make(map[string]bool, len(environ)+len(vars))
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		have[osName(name)] = true
	}
	var out []KV
	for _, kv := range vars {
		if n := osName(kv.Key); !have[n] {
			have[n] = true
			out = append(out, kv)
		}
	}
	return out
}

// osName is the form in which the OS compares environment names.
func osName(name string) string {
	if runtime.GOOS == "windows" {
		return strings.ToUpper(name)
	}
	return name
}
