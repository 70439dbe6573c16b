package filter

import (
	"fmt"
	"path"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// Names matches names (namespaces) against include and exclude lists of
// names or globs. The zero value includes everything.
type Names struct {
	includes []string
	excludes []string
}

// NewNames validates the patterns and returns the matcher. An empty include
// list means "*".
func NewNames(includes, excludes []string) (Names, error) {
	for _, list := range [][]string{includes, excludes} {
		for _, p := range list {
			if err := checkPattern(p); err != nil {
				return Names{}, fmt.Errorf("namespace pattern %q: %w", p, err)
			}
		}
	}
	return Names{includes: clean(includes), excludes: clean(excludes)}, nil
}

// globChars are the characters of a namespace pattern that are not part
// of a namespace name.
var globChars = strings.NewReplacer("*", "x", "?", "x", "[", "x", "]", "x")

// checkPattern checks a namespace name or glob as Velero does: a glob
// that parses, which is a DNS-1123 label once its glob characters are
// read as letters. Spaces around it do not count.
func checkPattern(p string) error {
	if p = strings.TrimSpace(p); p == "" {
		return fmt.Errorf("empty namespace name; leave it out")
	}
	if _, err := path.Match(p, ""); err != nil {
		return fmt.Errorf("not a valid pattern (%v); use * and ? as in a shell", err)
	}
	if msgs := validation.IsDNS1123Label(globChars.Replace(p)); len(msgs) > 0 {
		return fmt.Errorf("not a namespace name or pattern: %s", strings.Join(msgs, "; "))
	}
	return nil
}

func clean(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Match reports whether name is included and not excluded.
func (n Names) Match(name string) bool {
	if matchAny(n.excludes, name) {
		return false
	}
	return len(n.includes) == 0 || matchAny(n.includes, name)
}

// All reports whether every name matches: includes are empty or "*", and
// nothing is excluded.
func (n Names) All() bool {
	if len(n.excludes) > 0 {
		return false
	}
	if len(n.includes) == 0 {
		return true
	}
	for _, p := range n.includes {
		if p == "*" {
			return true
		}
	}
	return false
}

// Exact returns the included names when they are all plain names (no
// globs) and ok true; a caller can then list those namespaces one by one.
func (n Names) Exact() (names []string, ok bool) {
	if len(n.includes) == 0 {
		return nil, false
	}
	for _, p := range n.includes {
		if strings.ContainsAny(p, `*?[\`) {
			return nil, false
		}
		if n.Match(p) {
			names = append(names, p)
		}
	}
	return names, true
}

func matchAny(patterns []string, name string) bool {
	for _, p := range patterns {
		if p == "*" || p == name {
			return true
		}
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}
