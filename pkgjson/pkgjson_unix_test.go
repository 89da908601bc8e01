//go:build unix

package pkgjson

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/testfs"
)

// A FIFO named package.json must neither be found nor block Load, which
// would hang nrun before it runs anything.
func TestFIFO(t *testing.T) {
	root := testfs.TempDir(t)
	parent := testfs.Write(t, root, "package.json", `{}`)
	fifo := filepath.Join(testfs.Mkdir(t, root, "sub"), "package.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	if got, err := Find(filepath.Dir(fifo)); err != nil || got != parent {
		t.Errorf("Find = %q, %v; want %s", got, err, parent)
	}
	done := make(chan error, 1)
	go func() { _, err := Load(fifo); done <- err }()
	select {
	case err := <-done:
		if want := fifo + " is not a regular file"; err == nil || err.Error() != want {
			t.Errorf("error = %v, want %q", err, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Load blocked on a FIFO")
	}
}
