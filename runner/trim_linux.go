package runner

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

var trimOnce sync.Once

// trimStartupPages drops from nrun's working set the pages of its own
// executable that only starting needed. A supervising nrun may wait for
// days; the code and read-only data that read package.json and built the
// plan stay mapped and count in its resident memory (most of the binary,
// as the kernel maps file pages in whole runs around each fault), though
// the supervise loop never touches them again. They are clean file pages:
// MADV_DONTNEED only unmaps them, the page cache keeps them, and whatever
// nrun touches later comes back with a minor fault. Writable mappings
// (the data and bss segments) are never touched: unmapping them would
// lose their contents.
func trimStartupPages() { trimOnce.Do(trimExecutablePages) }

// trimExecutablePages unmaps the read-only mappings of nrun's executable.
func trimExecutablePages() {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[5] != exe || strings.Contains(fields[1], "w") {
			continue
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if !ok || err1 != nil || err2 != nil || end <= start {
			continue
		}
		// The raw call: the range is nrun's own mapping, not a Go slice.
		_, _, _ = unix.Syscall(unix.SYS_MADVISE, uintptr(start), uintptr(end-start), unix.MADV_DONTNEED)
	}
}
