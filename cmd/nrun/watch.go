package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/nrunjs/nrun/internal/watch"
)

// typedRestart is the change "rs" and Enter typed on the terminal.
const typedRestart = "\x00rs"

// watchChanges starts watching for --watch: the --watch-path paths, else
// the package directory. The channel receives each change (debounced) and
// each "rs" typed on the terminal. stop ends the watch.
func watchChanges(cfg *config, dir string) (changes <-chan string, stop func(), err error) {
	w, err := watch.New(cfg.watchedPaths(dir), cfg.watchIgnore, cfg.watchDelay)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot watch: %w", err)
	}
	if ownsTerminal() {
		go readTypedRestarts(w.C)
	}
	return w.C, func() { w.Close() }, nil
}

// watchedPaths are the paths --watch watches: --watch-path, else the
// package directory.
func (cfg *config) watchedPaths(dir string) []string {
	if len(cfg.watchPaths) > 0 {
		return cfg.watchPaths
	}
	return []string{dir}
}

// explainWatch is --watch as --explain shows it; nil without it.
func (cfg *config) explainWatch(dir string) *explainWatch {
	if !cfg.watching() {
		return nil
	}
	ignore := []string{".*/"}
	for _, d := range watch.IgnoredDirs {
		ignore = append(ignore, d+"/")
	}
	ignore = append(append(ignore, watch.IgnoredFiles...), cfg.watchIgnore...)
	return &explainWatch{Paths: cfg.watchedPaths(dir), Ignore: ignore, Delay: cfg.watchDelay.String()}
}

// readTypedRestarts turns a line "rs" typed on the terminal into a
// restart, as nodemon does. The app runs in the background of the
// terminal under --watch, so nrun alone reads it.
func readTypedRestarts(c chan<- string) {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if strings.TrimSpace(in.Text()) == "rs" {
			select {
			case c <- typedRestart:
			default: // a restart is already waiting
			}
		}
	}
}
