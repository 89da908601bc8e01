//go:build unix

package pkgjson

import (
	"errors"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/nrunjs/nrun/internal/testfs"
	"golang.org/x/sys/unix"
)

// TestLoadMappedAsRead runs the reading tests again with every file
// mapped: the values and every error message must be the same.
func TestLoadMappedAsRead(t *testing.T) {
	mapEverything(t)
	t.Run("TestLoad", TestLoad)
	t.Run("TestScriptAndField", TestScriptAndField)
	t.Run("TestLoad10MB", TestLoad10MB)
}

// TestLoadMapped checks that a big file is mapped, and that the Package
// it gives is the one reading gives and outlives the mapping.
func TestLoadMapped(t *testing.T) {
	content := bigPackage(1000, 1<<20)
	path := testfs.Write(t, testfs.TempDir(t), "package.json", content)
	f, err := openRegular(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	if _, ok, _ := loadMapped(path, f); ok {
		t.Error("a file written just now was mapped")
	}
	mapEverything(t)
	got, ok, err := loadMapped(path, f)
	if !ok || err != nil {
		t.Fatalf("not mapped: %v, %v", ok, err)
	}
	want, err := build(path, []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	// The mapping is gone: a string left pointing into it would fault here.
	if !reflect.DeepEqual(got, want) {
		t.Errorf("mapped and read Packages differ")
	}
}

// TestLoadMappedTruncated cuts the file short under its mapping, as
// another process writing it may: reading the mapping past the new end
// faults, and the fault must become errFault, not a crash.
func TestLoadMappedTruncated(t *testing.T) {
	path := testfs.Write(t, testfs.TempDir(t), "package.json", bigPackage(1000, 1<<20))
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := unix.Mmap(int(f.Fd()), 0, 1<<20, unix.PROT_READ, unix.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(data)
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := loadGuarded(path, data); !errors.Is(err, errFault) {
		t.Errorf("loadGuarded on a truncated mapping: %v", err)
	}
}

// TestLoadMappedChanged: a file that changes between the two looks at it
// is read again rather than trusted.
func TestLoadMappedChanged(t *testing.T) {
	var a, b unix.Stat_t
	a.Size, a.Ctim = 100, unix.NsecToTimespec(time.Now().UnixNano())
	b = a
	if changed(&a, &b) {
		t.Error("same status reported as changed")
	}
	b.Ctim.Nsec++
	if !changed(&a, &b) {
		t.Error("a new change time went unnoticed")
	}
}
