// Command floordeps is bench/floor with every package nrun imports linked
// in, and nothing else: Go runs each linked package's init before main,
// whether or not anything calls it, so this is the least a program built
// on nrun's dependencies can cost. bench/run.sh times it beside the floor;
// the difference is what the dependencies' package inits and the code they
// keep cost every start, apart from anything nrun itself does.
package main

import (
	"os"
	"syscall"

	// The packages cmd/nrun imports besides these two; TestSameImports
	// keeps the list in step with it.
	_ "bufio"
	_ "bytes"
	_ "encoding/json"
	_ "errors"
	_ "fmt"
	_ "io"
	_ "os/signal"
	_ "path/filepath"
	_ "runtime"
	_ "runtime/debug"
	_ "slices"
	_ "strconv"
	_ "strings"
	_ "time"
	_ "unicode"
	_ "unicode/utf8"

	_ "github.com/tidwall/gjson"
	_ "github.com/urfave/cli/v2"

	_ "github.com/nrunjs/nrun/internal/envfile"
	_ "github.com/nrunjs/nrun/internal/lazyre"
	_ "github.com/nrunjs/nrun/internal/minimatch"
	_ "github.com/nrunjs/nrun/internal/npmconfig"
	_ "github.com/nrunjs/nrun/internal/quote"
	_ "github.com/nrunjs/nrun/internal/watch"
	_ "github.com/nrunjs/nrun/internal/workspaces"
	_ "github.com/nrunjs/nrun/pkgjson"
	_ "github.com/nrunjs/nrun/runner"
	_ "github.com/nrunjs/nrun/shell"
)

func main() {
	// What bench/floor does, to the letter.
	err := syscall.Exec("/bin/true", []string{"true"}, os.Environ())
	os.Stderr.WriteString("floordeps: exec /bin/true: " + err.Error() + "\n")
	os.Exit(127)
}
