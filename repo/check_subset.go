package repo

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// CheckSubset selects the packs a check reads, with the semantics of
// restic 0.18's --read-data-subset. Make one with ParseCheckSubset.
type CheckSubset struct {
	text    string
	group   uint    // n of n/t, 1-based; 0 for the random forms
	groups  uint    // t of n/t
	percent float64 // of the packs, for x%
	bytes   uint64  // for a size
}

// MaxCheckGroups is the largest t of an n/t subset: groups are formed by
// the first byte of the pack id.
const MaxCheckGroups = 256

// subsetForms names the accepted forms, for parse errors.
const subsetForms = "use n/t (group n of t, e.g. 1/5), a percentage (10% or 2.5%) or a size (500M, 2G; K, M, G, T are powers of 1024)"

// ParseCheckSubset parses restic's --read-data-subset values:
//
//   - "n/t" reads group n of t (1 <= n <= t <= 256): the packs whose id's
//     first byte modulo t is n-1, so checks of 1/t ... t/t together read
//     every pack once;
//   - "x%" reads x percent of the packs (0 < x <= 100, decimals allowed),
//     chosen at random, at least one;
//   - a size such as "500M" or "2G" reads random packs making up about
//     that share of the repository's size.
func ParseCheckSubset(s string) (*CheckSubset, error) {
	t := strings.TrimSpace(s)
	bad := func(why string) (*CheckSubset, error) {
		return nil, fmt.Errorf("invalid read-data subset %q: %s", s, why)
	}
	switch {
	case strings.Contains(t, "/"):
		n, tot, ok := parseGroup(t)
		if !ok {
			return bad(subsetForms)
		}
		if n == 0 || tot == 0 || n > tot {
			return bad("n/t needs whole numbers with 1 <= n <= t, e.g. 1/5")
		}
		if tot > MaxCheckGroups {
			return bad(fmt.Sprintf("t of n/t must be at most %d", MaxCheckGroups))
		}
		return &CheckSubset{text: t, group: n, groups: tot}, nil
	case strings.HasSuffix(t, "%"):
		p, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
		if err != nil {
			return bad(subsetForms)
		}
		if !(p > 0 && p <= 100) {
			return bad("a percentage must be above 0% and at most 100%")
		}
		return &CheckSubset{text: t, percent: p}, nil
	}
	if _, err := strconv.ParseUint(t, 10, 64); err == nil {
		return bad("a size needs a unit (500M, 2G); " + subsetForms) // as restic: a bare number is no size
	}
	n, err := ParseSize(t)
	if err != nil {
		return bad(subsetForms)
	}
	if n == 0 {
		return bad("a size must be above 0")
	}
	return &CheckSubset{text: t, bytes: n}, nil
}

func parseGroup(s string) (n, t uint, ok bool) {
	a, b, _ := strings.Cut(s, "/")
	x, err1 := strconv.ParseUint(a, 10, 0)
	y, err2 := strconv.ParseUint(b, 10, 0)
	return uint(x), uint(y), err1 == nil && err2 == nil
}

// String returns the subset as it was given.
func (s *CheckSubset) String() string { return s.text }

// Group returns n and t of an n/t subset, and ok false for the random
// forms.
func (s *CheckSubset) Group() (n, t int, ok bool) {
	return int(s.group), int(s.groups), s.group != 0
}

// selectPacks returns the packs of all (id to size) that s selects,
// sorted by id, as restic's selectPacksByBucket,
// selectRandomPacksByPercentage and selectRandomPacksByFileSize do. rnd
// may be nil (the global source).
func (s *CheckSubset) selectPacks(all map[[32]byte]int64, rnd *rand.Rand) [][32]byte {
	ids := make([][32]byte, 0, len(all))
	for id := range all {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	if s.group != 0 {
		return slices.DeleteFunc(ids, func(id [32]byte) bool { return uint(id[0])%s.groups != s.group-1 })
	}
	percent := s.percent
	if s.bytes > 0 {
		var total uint64
		for _, size := range all {
			total += uint64(size)
		}
		if total == 0 {
			return nil
		}
		percent = float64(min(s.bytes, total)) / float64(total) * 100
	}
	n := int(float64(len(ids)) * percent / 100)
	if len(ids) > 0 && n < 1 {
		n = 1
	}
	perm := rand.Perm
	if rnd != nil {
		perm = rnd.Perm
	}
	picked := make([][32]byte, 0, n)
	for _, i := range perm(len(ids))[:n] {
		picked = append(picked, ids[i])
	}
	slices.SortFunc(picked, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	return picked
}
