package collate_test

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nrunjs/nrun/internal/collate"
)

func ExampleCompare() {
	dirs := []string{"packages/b", "packages/a-b", "packages/ab", "packages/Cat", "packages/10", "packages/9", "packages/_x"}
	slices.SortFunc(dirs, strings.Compare)
	fmt.Println("bytes: ", dirs)
	slices.SortFunc(dirs, collate.Compare)
	fmt.Println("collate:", dirs)
	// Output:
	// bytes:  [packages/10 packages/9 packages/Cat packages/_x packages/a-b packages/ab packages/b]
	// collate: [packages/_x packages/10 packages/9 packages/a-b packages/ab packages/b packages/Cat]
}
