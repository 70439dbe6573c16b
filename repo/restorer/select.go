package restorer

import (
	"strings"

	"github.com/cairn-backup/cairn/repo/walker"
)

// selector decides which paths an Include list restores.
type selector struct {
	include []string // clean absolute paths; empty: everything
}

func newSelector(include []string) selector {
	var s selector
	for _, p := range include {
		s.include = append(s.include, walker.Clean(p))
	}
	return s
}

// match reports whether p is restored (it is or lies below an included
// path) and whether something below p may be.
func (s selector) match(p string) (selected, childMayBe bool) {
	if len(s.include) == 0 {
		return true, true
	}
	for _, in := range s.include {
		if in == "/" || in == p || strings.HasPrefix(p, in+"/") {
			return true, true
		}
		if strings.HasPrefix(in, p+"/") {
			childMayBe = true
		}
	}
	return false, childMayBe
}
