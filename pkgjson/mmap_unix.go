//go:build linux || darwin || freebsd

package pkgjson

import (
	"errors"
	"runtime"
	"runtime/debug"
	"time"

	"golang.org/x/sys/unix"
)

// loadMapped loads the regular file abs of size bytes through a mapping
// of it, copying out only what the Package keeps (see Package.detach). ok is
// false when the file is not one to map (small, or changed recently) or it
// changed while it was being read; Load then reads it instead.
func loadMapped(abs string, size int64) (p *Package, ok bool, err error) {
	if size < mapMin {
		return nil, false, nil
	}
	fd, err := unix.Open(abs, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, false, nil // the read path reports the error
	}
	defer unix.Close(fd)
	var before unix.Stat_t
	if unix.Fstat(fd, &before) != nil || before.Mode&unix.S_IFMT != unix.S_IFREG ||
		before.Size < mapMin || before.Size > maxSize || !settledSince(&before) {
		return nil, false, nil
	}
	data, err := unix.Mmap(fd, 0, int(before.Size), unix.PROT_READ, unix.MAP_PRIVATE)
	if err != nil {
		return nil, false, nil
	}
	p, err = loadGuarded(abs, data)
	// Nothing may point into the mapping once it is gone: detach copied
	// what p keeps, and an error's text was built from the bytes.
	unix.Munmap(data)
	var after unix.Stat_t
	if errors.Is(err, errFault) || unix.Fstat(fd, &after) != nil || changed(&before, &after) {
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
