package filter

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/labels"
)

// ExcludeLabels are the labels that keep an object out of every backup,
// whatever the selectors say, when set to "true".
var ExcludeLabels = []string{"velero.io/exclude-from-backup", "cairn.io/exclude-from-backup"}

// Excluded reports whether an object's labels opt it out of backups.
func Excluded(l map[string]string) bool {
	for _, k := range ExcludeLabels {
		if l[k] == "true" {
			return true
		}
	}
	return false
}

// parseSelectors parses the selector or the or-selectors (never both).
func parseSelectors(sel string, or []string) ([]labels.Selector, error) {
	sel = strings.TrimSpace(sel)
	or = clean(or)
	if sel != "" && len(or) > 0 {
		return nil, fmt.Errorf("either a label selector or or-label-selectors can be given, but not both")
	}
	if sel != "" {
		or = []string{sel}
	}
	var out []labels.Selector
	for _, s := range or {
		parsed, err := labels.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("label selector %q: %w", s, err)
		}
		out = append(out, parsed)
	}
	return out, nil
}

func matchSelectors(sels []labels.Selector, l map[string]string) bool {
	if len(sels) == 0 {
		return true
	}
	set := labels.Set(l)
	for _, s := range sels {
		if s.Matches(set) {
			return true
		}
	}
	return false
}
