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
	paths := cfg.watchPaths
	if len(paths) == 0 {
		paths = []string{dir}
	}
	w, err := watch.New(paths, cfg.watchIgnore, cfg.watchDelay)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot watch: %w", err)
	}
	if ownsTerminal() {
		go readTypedRestarts(w.C)
	}
	return w.C, func() { w.Close() }, nil
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
