package runner

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// exeResidentKB sums the resident size of the test binary's read-only
// mappings, from /proc/self/smaps.
func exeResidentKB(t *testing.T) int {
	t.Helper()
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	total, inExe := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) >= 6 && strings.Contains(fields[0], "-"):
			inExe = fields[5] == exe && !strings.Contains(fields[1], "w")
		case inExe && len(fields) == 3 && fields[0] == "Rss:":
			kb, _ := strconv.Atoi(fields[1])
			total += kb
		}
	}
	return total
}

// TestTrimStartupPages: once a supervisor has started its program, the
// pages of nrun's own executable that starting touched are no longer in
// its working set, and nrun still runs (they come back on use).
func TestTrimStartupPages(t *testing.T) {
	before := exeResidentKB(t)
	trimExecutablePages() // not the Once: a supervising test may have used it
	after := exeResidentKB(t)
	t.Logf("resident read-only pages of the executable: %d KiB before, %d KiB after", before, after)
	if after >= before {
		t.Errorf("the executable's resident pages went from %d KiB to %d KiB; want fewer", before, after)
	}
}
