package filter

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

// resourceSet is an include or exclude list of resources resolved through a
// catalog; all means "*".
type resourceSet struct {
	all bool
	grs map[schema.GroupResource]bool
}

func resolveSet(c *Catalog, names []string, what string) (resourceSet, error) {
	s := resourceSet{grs: map[schema.GroupResource]bool{}}
	for _, n := range clean(names) {
		if n == "*" {
			s.all = true
			continue
		}
		r, err := c.Resolve(n)
		if err != nil {
			return s, fmt.Errorf("%s: %w", what, err)
		}
		s.grs[r.GroupResource()] = true
	}
	return s, nil
}

func (s resourceSet) empty() bool { return !s.all && len(s.grs) == 0 }

func (s resourceSet) has(gr schema.GroupResource) bool { return s.all || s.grs[gr] }

// includeExclude is one include list and one exclude list: excludes win, and
// an empty include list means everything.
type includeExclude struct {
	include, exclude resourceSet
}

func (ie includeExclude) match(gr schema.GroupResource) bool {
	if ie.exclude.has(gr) {
		return false
	}
	return ie.include.empty() || ie.include.has(gr)
}

func (ie includeExclude) unset() bool { return ie.include.empty() && ie.exclude.empty() }
