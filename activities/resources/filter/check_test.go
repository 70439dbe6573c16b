package filter_test

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"

	"github.com/cairn-backup/cairn/activities/resources/filter"
)

// TestCheck: what Velero refuses before a backup or restore starts is
// named with the field it is in and the offending value, every problem at
// once; what it accepts passes.
func TestCheck(t *testing.T) {
	for _, ok := range []filter.Spec{
		{},
		{IncludedNamespaces: []string{"*"}, ExcludedNamespaces: []string{"kube-system", "tmp-*"}},
		{IncludedNamespaces: []string{"app-?", "[ab]-db", " web "}, IncludedResources: []string{"*"}, ExcludedResources: []string{"events"}},
		{OrLabelSelectors: []string{"app=a", "tier in (db,cache)"}},
		{IncludedClusterScopedResources: []string{"*"}},
	} {
		if errs := ok.Check(field.NewPath("Spec")); len(errs) > 0 {
			t.Errorf("%+v: %v", ok, errs)
		}
	}
	for _, c := range []struct {
		spec filter.Spec
		want []string
	}{
		{filter.Spec{IncludedNamespaces: []string{"web"}, ExcludedNamespaces: []string{"web"}},
			[]string{`Spec.ExcludedNamespaces: Invalid value: "web": is included too; a namespace is either included or excluded`}},
		{filter.Spec{ExcludedNamespaces: []string{"*"}}, []string{`Spec.ExcludedNamespaces: Invalid value: "*": cannot exclude every namespace`}},
		{filter.Spec{IncludedNamespaces: []string{"*", "web"}}, []string{`Spec.IncludedNamespaces: Invalid value: "*,web": '*' already includes every namespace`}},
		{filter.Spec{IncludedNamespaces: []string{"Web_1", ""}, ExcludedNamespaces: []string{"[a-"}}, []string{
			`Spec.IncludedNamespaces: Invalid value: "Web_1": not a namespace name or pattern`,
			`Spec.IncludedNamespaces: Invalid value: "": empty namespace name`,
			`Spec.ExcludedNamespaces: Invalid value: "[a-": not a valid pattern`}},
		{filter.Spec{IncludedResources: []string{"pods", "*"}, ExcludedResources: []string{"*"}}, []string{
			`Spec.IncludedResources: Invalid value: "pods,*": '*' already includes every resource`,
			`Spec.ExcludedResources: Invalid value: "*": cannot exclude every resource`}},
		{filter.Spec{IncludeClusterResources: ptr.To(true), ExcludedNamespaceScopedResources: []string{"pods"}},
			[]string{"Spec.IncludedClusterScopedResources: Forbidden: the old resource filters"}},
		{filter.Spec{LabelSelector: "app in (a", OrLabelSelectors: []string{"b=c", "d=(x"}}, []string{
			"Spec.OrLabelSelectors: Forbidden: a label selector and or-selectors cannot be combined",
			`Spec.LabelSelector: Invalid value: "app in (a": `, `Spec.OrLabelSelectors: Invalid value: "d=(x": `, "write e.g. app=web,tier!=db"}},
	} {
		got := c.spec.Check(field.NewPath("Spec")).ToAggregate()
		if got == nil {
			t.Errorf("%+v passed", c.spec)
			continue
		}
		for _, want := range c.want {
			if !strings.Contains(got.Error(), want) {
				t.Errorf("%+v: %v\nlacks %q", c.spec, got, want)
			}
		}
	}
}
