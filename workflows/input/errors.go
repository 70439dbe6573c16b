package input

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// UnknownFieldError is a member of an input that its type has no field
// for: a misspelling, or a field of another type or version.
type UnknownFieldError struct {
	// Input names the input ("the Backup workflow's input").
	Input string
	// Path is where the member sits ("Spec", "Spec.Hooks.resources[0]");
	// empty at the top.
	Path string
	// Field is the unknown member's name.
	Field string
	// Accepted are the fields accepted at Path.
	Accepted []string
}

func (e *UnknownFieldError) Error() string {
	where := "at the top level"
	if e.Path != "" {
		where = "in " + e.Path
	}
	msg := fmt.Sprintf("%s: unknown field %q %s", e.Input, e.Field, where)
	if near := Nearest(e.Field, e.Accepted); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return msg + "; the accepted fields there are " + strings.Join(e.Accepted, ", ")
}

// Nearest is the accepted name closest to name by edit distance, ignoring
// case, when it is close enough to be a misspelling of it (at most a third
// of its letters differ); "" otherwise.
func Nearest(name string, accepted []string) string {
	best, bestDist := "", len(name)/3+1
	for _, a := range accepted {
		if d := distance(strings.ToLower(name), strings.ToLower(a)); d < bestDist {
			best, bestDist = a, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
