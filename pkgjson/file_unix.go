//go:build unix

package pkgjson

import (
	"errors"
	"io"
	"runtime"
	"runtime/debug"
	"time"

	"golang.org/x/sys/unix"
)

// regularFile is a project file opened for reading, found by its open
// descriptor to be a regular file within the size limit. It is read with
// plain system calls: an *os.File would register the descriptor with Go's
// network poller, whose set-up (epoll_create1, eventfd2, two epoll_ctl and
// four fcntl) would be most of the system calls of a start.
type regularFile struct {
	fd int
	st unix.Stat_t
}

// openRegular opens path and checks what it is on the open descriptor, so
// that what is read is what was checked. O_NONBLOCK keeps the open of a
// FIFO from waiting for a writer, and O_NOCTTY a terminal from becoming
// nrun's; the check then rejects both. Some network and FUSE file systems
// return EINTR when Go's scheduler signals a thread, so each call is
// retried on it, as os.Open does.
func openRegular(path string) (*regularFile, error) {
	var fd int
	err := retryEINTR(func() (err error) {
		fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NONBLOCK|unix.O_NOCTTY, 0)
		return err
	})
	if err != nil {
		return nil, openError(path, err)
	}
	f := &regularFile{fd: fd}
	if err := retryEINTR(func() error { return unix.Fstat(fd, &f.st) }); err != nil {
		f.close()
		return nil, readError(path, err)
	}
	kind := f.st.Mode & unix.S_IFMT
	if err := checkRegular(path, kind == unix.S_IFDIR, kind == unix.S_IFREG, f.st.Size); err != nil {
		f.close()
		return nil, err
	}
	// Reads block again: a regular file may still answer EAGAIN to a
	// non-blocking read where a lock is enforced.
	if err := retryEINTR(func() error { _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFL, 0); return err }); err != nil {
		f.close()
		return nil, readError(path, err)
	}
	return f, nil
}

// openError says why path could not be opened. What the open refused may
// be no file to read at all (a socket, a directory nobody may list): the
// path's kind is then what the message says, as it is for those that open.
func openError(path string, err error) error {
	var st unix.Stat_t
	if unix.Stat(path, &st) == nil {
		kind := st.Mode & unix.S_IFMT
		if err := checkRegular(path, kind == unix.S_IFDIR, kind == unix.S_IFREG, 0); err != nil {
			return err
		}
	}
	return readError(path, err)
}

func retryEINTR(call func() error) error {
	for {
		if err := call(); err != unix.EINTR {
			return err
		}
	}
}

func (f *regularFile) size() int64 { return f.st.Size }

// read is io.Reader's Read on the descriptor.
func (f *regularFile) read(p []byte) (int, error) {
	var n int
	err := retryEINTR(func() (err error) {
		n, err = unix.Read(f.fd, p)
		return err
	})
	switch {
	case err != nil:
		return 0, err
	case n == 0 && len(p) > 0:
		return 0, io.EOF
	}
	return n, nil
}

func (f *regularFile) close() { unix.Close(f.fd) }

// loadMapped loads the file opened as f through a mapping of it, copying
// out only what the Package keeps (see Package.detach). ok is false when
// the file is not one to map (small, or changed recently) or it changed
// while it was being read; Load then reads it instead.
func loadMapped(abs string, f *regularFile) (p *Package, ok bool, err error) {
	before := f.st
	if before.Size < mapMin || !settledSince(&before) {
		return nil, false, nil
	}
	data, err := unix.Mmap(f.fd, 0, int(before.Size), unix.PROT_READ, unix.MAP_PRIVATE)
	if err != nil {
		return nil, false, nil
	}
	p, err = loadGuarded(abs, data)
	// Nothing may point into the mapping once it is gone: detach copied
	// what p keeps, and an error's text was built from the bytes.
	unix.Munmap(data)
	var after unix.Stat_t
	if errors.Is(err, errFault) || unix.Fstat(f.fd, &after) != nil || changed(&before, &after) {
		return nil, false, nil
	}
	return p, true, err
}

// errFault stands for a fault or panic while reading the mapping: the file
// was cut short, or changed, under it.
var errFault = errors.New("package.json changed while it was read")

// loadGuarded is build and detach on mapped bytes. A file truncated by
// another process while mapped makes reading past its new end fault; the
// fault becomes a panic here, and the panic errFault.
func loadGuarded(abs string, data []byte) (p *Package, err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if e := recover(); e != nil {
			if _, ok := e.(runtime.Error); !ok {
				panic(e)
			}
			p, err = nil, errFault
		}
	}()
	p, err = build(abs, data)
	if err == nil {
		p.detach()
	}
	return p, err
}

func settledSince(st *unix.Stat_t) bool {
	sec, nsec := st.Ctim.Unix()
	return time.Since(time.Unix(sec, nsec)) >= settled
}

func changed(a, b *unix.Stat_t) bool {
	return a.Size != b.Size || a.Ino != b.Ino || a.Dev != b.Dev || a.Ctim != b.Ctim || a.Mtim != b.Mtim
}
