package main

import (
	"fmt"
	"strings"

	"github.com/nrunjs/nrun/pkgjson"
)

// missingScript explains a script name that package.json does not have:
// where nrun looked, the closest name if one is close, and what exists.
func missingScript(pkg *pkgjson.Package, name string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "missing script %q in %s", name, pkg.Path)
	names := make([]string, len(pkg.Scripts))
	for i, s := range pkg.Scripts {
		names[i] = s.Name
	}
	if near := closest(name, names); near != "" {
		fmt.Fprintf(&b, "\ndid you mean %q?", near)
	}
	if len(names) == 0 {
		b.WriteString("\nthe package has no scripts")
	} else {
		fmt.Fprintf(&b, "\navailable: %s", strings.Join(names, ", "))
	}
	return fmt.Errorf("%s", b.String())
}

// closest returns the name nearest to want by edit distance, if it is close
// enough to be a typo: at most a third of the name's length, and at least 1.
func closest(want string, names []string) string {
	best, bestDist := "", max(1, len([]rune(want))/3)+1
	for _, n := range names {
		if d := editDistance(want, n); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance over runes, with a transposition
// counted as one edit ("tset" is one step from "test").
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
