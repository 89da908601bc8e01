package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"unicode"

	"github.com/nrunjs/nrun/internal/envfile"
)

// envFilesField is the field of --env-file and --env-file-if-exists in
// the table of options. Both append to one list, each value whole (never
// split at commas), so that the files apply in the order they were given
// whichever option named them: the later file wins, as in Node.
type envFilesField struct {
	list     *[]envfile.File
	ifExists bool
}

func (f envFilesField) Set(path string) error {
	if path == "" {
		return fmt.Errorf("an env file needs a path")
	}
	*f.list = append(*f.list, envfile.File{Path: path, IfExists: f.ifExists})
	return nil
}

func (f envFilesField) String() string {
	if f.list == nil { // urfave/cli's help asks a zero value
		return ""
	}
	var paths []string
	for _, file := range *f.list {
		if file.IfExists == f.ifExists {
			paths = append(paths, file.Path)
		}
	}
	return strings.Join(paths, ", ")
}

// passedOn gives a job's nrun the whole list, both options in their
// order, from the row of --env-file alone. The job's nrun runs in this
// nrun's working directory, so relative paths name the same files.
func (f envFilesField) passedOn() []string {
	if f.ifExists {
		return nil
	}
	var out []string
	for _, file := range *f.list {
		flag := "--env-file="
		if file.IfExists {
			flag = "--env-file-if-exists="
		}
		out = append(out, flag+file.Path)
	}
	return out
}

// loadEnvFiles reads the env files, once, before anything runs, so that a
// missing or malformed file stops nrun with nothing started.
func (cfg *config) loadEnvFiles() error {
	if len(cfg.envFiles) == 0 || cfg.envLoaded != nil {
		return nil
	}
	loaded, err := envfile.Load(cfg.envFiles)
	if err != nil {
		return fmt.Errorf("env file %w", err)
	}
	cfg.envLoaded = loaded
	return nil
}

// withEnvFiles is environ with the variables of the env files that
// environ lacks: the inherited environment wins over every file.
func (cfg *config) withEnvFiles(environ []string) []string {
	if len(cfg.envLoaded) == 0 {
		return environ
	}
	return envfile.Apply(environ, envfile.Merge(cfg.envLoaded))
}

// explainFile is one env file as --explain shows it: the names it gives
// the script (those the environment lacks and no later file sets).
type explainFile struct {
	Path    string   `json:"path"`
	Missing bool     `json:"missing,omitempty"`
	Sets    []string `json:"sets"`
}

func (cfg *config) explainEnvFiles() []explainFile {
	if len(cfg.envLoaded) == 0 {
		return nil
	}
	added := envfile.Added(os.Environ(), envfile.Merge(cfg.envLoaded))
	out := make([]explainFile, len(cfg.envLoaded))
	for i, l := range cfg.envLoaded {
		out[i] = explainFile{Path: l.Path, Missing: l.Missing, Sets: []string{}}
		for _, kv := range added {
			if lastFileOf(cfg.envLoaded, kv.Key) == i {
				out[i].Sets = append(out[i].Sets, quoteName(kv.Key))
			}
		}
	}
	return out
}

// lastFileOf is the index of the last file that sets name.
func lastFileOf(loaded []envfile.Loaded, name string) int {
	last := -1
	for i, l := range loaded {
		for _, kv := range l.Vars {
			if kv.Key == name {
				last = i
			}
		}
	}
	return last
}

// quoteName quotes a name that would not read as one word.
func quoteName(name string) string {
	if name == "" || strings.ContainsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) || r == '"' }) {
		return strconv.Quote(name)
	}
	return name
}

func writeEnvFiles(b *strings.Builder, files []explainFile) {
	for _, f := range files {
		switch {
		case f.Missing:
			fmt.Fprintf(b, "envfile  %s (missing, skipped)\n", f.Path)
		case len(f.Sets) == 0:
			fmt.Fprintf(b, "envfile  %s (sets nothing the environment lacks)\n", f.Path)
		default:
			fmt.Fprintf(b, "envfile  %s + %s\n", f.Path, strings.Join(f.Sets, " "))
		}
	}
}
