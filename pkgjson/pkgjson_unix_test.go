//go:build unix

package pkgjson

import (
	"net"
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

// TestSocket: a socket named package.json cannot even be opened (ENXIO);
// the error still says what it is, as for any file that is not regular.
func TestSocket(t *testing.T) {
	dir := testfs.TempDir(t)
	sock := filepath.Join(dir, "package.json")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("cannot make a socket here: %v", err)
	}
	defer l.Close()
	for name, read := range map[string]func(string) error{
		"Load":     func(p string) error { _, err := Load(p); return err },
		"ReadFile": func(p string) error { _, err := ReadFile(p); return err },
	} {
		if err, want := read(sock), sock+" is not a regular file"; err == nil || err.Error() != want {
			t.Errorf("%s: error = %v, want %q", name, err, want)
		}
	}
}
