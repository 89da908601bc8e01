package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/nrunjs/nrun/pkgjson"
	"github.com/tidwall/gjson"
)

// depFields are the package.json fields whose entries order a topological
// run: a workspace named in any of them, with any range or a workspace:
// spec, runs first.
var depFields = []string{"dependencies", "devDependencies", "optionalDependencies", "peerDependencies"}

// workspaceDeps returns, for each package, the indices of the other
// packages of pkgs it depends on, in pkgs' order.
func workspaceDeps(pkgs []*pkgjson.Package) [][]int {
	byName := map[string]int{}
	for i, p := range pkgs {
		if p.Name != "" {
			if _, dup := byName[p.Name]; !dup {
				byName[p.Name] = i
			}
		}
	}
	deps := make([][]int, len(pkgs))
	for i, p := range pkgs {
		named := make([]bool, len(pkgs))
		for _, field := range depFields {
			raw, ok := p.Field(field)
			if !ok {
				continue
			}
			gjson.Parse(raw).ForEach(func(k, _ gjson.Result) bool {
				if d, ok := byName[k.String()]; ok && d != i {
					named[d] = true
				}
				return true
			})
		}
		for d, yes := range named {
			if yes {
				deps[i] = append(deps[i], d)
			}
		}
	}
	return deps
}

// topoOrder orders the packages so that each comes after those it
// depends on. Of the packages ready at each step, the earliest in the
// given (npm's) order goes first, so ties keep npm's order. A cycle is
// reported once on stderr and broken at its member earliest in npm's
// order, whose dependencies in the cycle are then ignored. It returns the
// new order as indices into pkgs and each package's dependencies with
// the broken edges left out.
func topoOrder(pkgs []*pkgjson.Package, stderr io.Writer) (order []int, deps [][]int) {
	deps = workspaceDeps(pkgs)
	placed := make([]bool, len(pkgs))
	ready := func(i int) bool {
		for _, d := range deps[i] {
			if !placed[d] {
				return false
			}
		}
		return true
	}
	for len(order) < len(pkgs) {
		next := -1
		for i := range pkgs {
			if !placed[i] && ready(i) {
				next = i
				break
			}
		}
		if next < 0 {
			next = breakCycle(pkgs, deps, placed, stderr)
		}
		placed[next] = true
		order = append(order, next)
	}
	return order, deps
}

// breakCycle finds a cycle among the packages not yet placed (walking
// from the first of them along each one's first unplaced dependency),
// reports it, and returns the member earliest in npm's order after
// dropping its dependencies on packages not yet placed.
func breakCycle(pkgs []*pkgjson.Package, deps [][]int, placed []bool, stderr io.Writer) int {
	first := 0
	for placed[first] {
		first++
	}
	seen := map[int]int{} // package → its step on the walk
	var walk []int
	for i := first; ; {
		if at, ok := seen[i]; ok {
			walk = walk[at:]
			break
		}
		seen[i] = len(walk)
		walk = append(walk, i)
		for _, d := range deps[i] {
			if !placed[d] {
				i = d
				break
			}
		}
	}
	pick := walk[0]
	for _, i := range walk {
		pick = min(pick, i)
	}
	names := make([]string, 0, len(walk)+1)
	for _, i := range append(walk, walk[0]) {
		names = append(names, pkgName(pkgs[i]))
	}
	fmt.Fprintf(stderr, "nrun: dependency cycle %s: %s runs first\n", strings.Join(names, " -> "), pkgName(pkgs[pick]))
	kept := deps[pick][:0:0]
	for _, d := range deps[pick] {
		if placed[d] {
			kept = append(kept, d)
		}
	}
	deps[pick] = kept
	return pick
}

func pkgName(p *pkgjson.Package) string {
	if p.Name != "" {
		return p.Name
	}
	return p.Dir
}

// orderPackages puts pkgs in dependency order and returns, for each, the
// packages of pkgs it waits for.
func orderPackages(pkgs []*pkgjson.Package, stderr io.Writer) ([]*pkgjson.Package, map[*pkgjson.Package][]*pkgjson.Package) {
	order, deps := topoOrder(pkgs, stderr)
	sorted := make([]*pkgjson.Package, len(pkgs))
	waits := map[*pkgjson.Package][]*pkgjson.Package{}
	for k, i := range order {
		sorted[k] = pkgs[i]
		for _, d := range deps[i] {
			waits[pkgs[i]] = append(waits[pkgs[i]], pkgs[d])
		}
	}
	return sorted, waits
}

// linkJobs gives each job the jobs of the packages its package waits for.
func linkJobs(jobs []job, deps map[*pkgjson.Package][]*pkgjson.Package) {
	if len(deps) == 0 {
		return
	}
	of := map[*pkgjson.Package][]int{}
	for i, j := range jobs {
		of[j.pkg] = append(of[j.pkg], i)
	}
	for i := range jobs {
		for _, d := range deps[jobs[i].pkg] {
			jobs[i].after = append(jobs[i].after, of[d]...)
		}
	}
}
