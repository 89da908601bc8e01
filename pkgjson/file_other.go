//go:build !unix

package pkgjson

import "os"

// regularFile is a project file opened for reading, found by its open
// handle to be a regular file within the size limit.
type regularFile struct {
	f  *os.File
	fi os.FileInfo
}

// openRegular opens path and checks what it is on the open handle, so that
// what is read is what was checked.
func openRegular(path string) (*regularFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, readError(path, err)
	}
	fi, err := f.Stat()
	if err == nil {
		err = checkRegular(path, fi.IsDir(), fi.Mode().IsRegular(), fi.Size())
	} else {
		err = readError(path, err)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &regularFile{f: f, fi: fi}, nil
}

func (f *regularFile) size() int64                { return f.fi.Size() }
func (f *regularFile) read(p []byte) (int, error) { return f.f.Read(p) }
func (f *regularFile) close()                     { f.f.Close() }

// loadMapped maps package.json on Linux, macOS and FreeBSD only; elsewhere
// Load reads it.
func loadMapped(string, *regularFile) (*Package, bool, error) { return nil, false, nil }
