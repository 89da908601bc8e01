package lazyre

import (
	"sync"
	"testing"
)

func TestGet(t *testing.T) {
	r := &Regexp{Expr: `^a+(b)$`}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if m := r.Get().FindStringSubmatch("aab"); len(m) != 2 || m[1] != "b" {
				t.Errorf("match %q", m)
			}
		}()
	}
	wg.Wait()
	if r.Get() != r.Get() {
		t.Error("compiled more than once")
	}
}
