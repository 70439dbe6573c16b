package filter

import (
	"fmt"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Check lists what is wrong with the spec that shows without the server,
// as Velero validates a backup or restore before it starts: namespace
// names and patterns, include and exclude lists that contradict each other
// ("*" excluded, "*" among other includes, a name both included and
// excluded), the old and the scoped resource filters together, and the
// label selectors. Each problem is under path (the spec's field path in
// its input, such as Spec). Compile finds the rest, with the catalog: the
// resources it cannot resolve.
func (s Spec) Check(path *field.Path) field.ErrorList {
	errs := checkLists(path, "namespace", "IncludedNamespaces", "ExcludedNamespaces", s.IncludedNamespaces, s.ExcludedNamespaces)
	errs = append(errs, checkPatterns(path.Child("IncludedNamespaces"), s.IncludedNamespaces)...)
	errs = append(errs, checkPatterns(path.Child("ExcludedNamespaces"), s.ExcludedNamespaces)...)
	errs = append(errs, checkLists(path, "resource", "IncludedResources", "ExcludedResources", s.IncludedResources, s.ExcludedResources)...)
	if s.scoped() && s.oldStyle() {
		errs = append(errs, field.Forbidden(path.Child("IncludedClusterScopedResources"),
			"the old resource filters (include/exclude resources, include cluster resources) and the scoped ones cannot be used together; use one kind"))
	}
	return append(errs, checkSelectors(path, s.LabelSelector, s.OrLabelSelectors)...)
}

// checkPatterns checks each namespace name or pattern of a list.
func checkPatterns(path *field.Path, list []string) field.ErrorList {
	var errs field.ErrorList
	for _, p := range list {
		if err := checkPattern(p); err != nil {
			errs = append(errs, field.Invalid(path, p, err.Error()))
		}
	}
	return errs
}

// checkLists applies Velero's rules to an include and an exclude list of
// what (namespaces, resources): "*" includes alone, excludes never, and
// nothing is both included and excluded.
func checkLists(path *field.Path, what, incField, excField string, includes, excludes []string) field.ErrorList {
	var errs field.ErrorList
	includes, excludes = clean(includes), clean(excludes)
	if len(includes) > 1 && slices.Contains(includes, "*") {
		errs = append(errs, field.Invalid(path.Child(incField), strings.Join(includes, ","),
			fmt.Sprintf("'*' already includes every %s; give '*' alone, or only the %ss to include", what, what)))
	}
	for _, x := range excludes {
		switch {
		case x == "*":
			errs = append(errs, field.Invalid(path.Child(excField), x,
				fmt.Sprintf("cannot exclude every %s; list the %ss to leave out", what, what)))
		case slices.Contains(includes, x):
			errs = append(errs, field.Invalid(path.Child(excField), x,
				fmt.Sprintf("is included too; a %s is either included or excluded", what)))
		}
	}
	return errs
}

// checkSelectors checks the label selector and the or-selectors: each
// parses as the record's LabelSelector, and they are not given together.
func checkSelectors(path *field.Path, sel string, or []string) field.ErrorList {
	var errs field.ErrorList
	if strings.TrimSpace(sel) != "" && len(clean(or)) > 0 {
		errs = append(errs, field.Forbidden(path.Child("OrLabelSelectors"),
			"a label selector and or-selectors cannot be combined; give one or the other"))
	}
	for i, s := range append([]string{sel}, or...) {
		if _, err := metav1.ParseToLabelSelector(s); strings.TrimSpace(s) != "" && err != nil {
			f := path.Child("LabelSelector")
			if i > 0 {
				f = path.Child("OrLabelSelectors")
			}
			errs = append(errs, field.Invalid(f, s, fmt.Sprintf("%v; write e.g. app=web,tier!=db", err)))
		}
	}
	return errs
}
