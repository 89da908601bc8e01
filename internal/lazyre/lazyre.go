// Package lazyre holds regular expressions compiled on first use.
//
// nrun's start must not pay for patterns the run never uses, nor for the
// machinery that defers them: sync.OnceValue allocates its state when the
// package variable holding it is initialised, on every start. A Regexp is
// a plain struct, laid out by the linker, with nothing to do at init.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a pattern compiled by the first call of Get.
type Regexp struct {
	Expr string // the pattern, which must compile

	once sync.Once
	re   *regexp.Regexp
}

// Get returns the compiled pattern; it panics if Expr does not compile.
func (r *Regexp) Get() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.Expr) })
	return r.re
}
