package hooks

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestSelectorApplies(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sel     selector
		want    bool
		wantErr bool
	}{
		{name: "empty selects all", want: true},
		{name: "namespace included", sel: selector{includedNamespaces: []string{"other", "ns"}}, want: true},
		{name: "namespace wildcard", sel: selector{includedNamespaces: []string{"*"}}, want: true},
		{name: "namespace not included", sel: selector{includedNamespaces: []string{"other"}}},
		{name: "excluded wins", sel: selector{includedNamespaces: []string{"*"}, excludedNamespaces: []string{"ns"}}},
		{name: "excluded wildcard", sel: selector{excludedNamespaces: []string{"*"}}},
		{name: "other namespace excluded", sel: selector{excludedNamespaces: []string{"other"}}, want: true},
		{name: "resources pods", sel: selector{includedResources: []string{"pods"}}, want: true},
		{name: "resources pod", sel: selector{includedResources: []string{"Pod"}}, want: true},
		{name: "resources po", sel: selector{includedResources: []string{"po"}}, want: true},
		{name: "resources core group", sel: selector{includedResources: []string{"pods."}}, want: true},
		{name: "resources wildcard", sel: selector{includedResources: []string{"*"}}, want: true},
		{name: "resources without pods", sel: selector{includedResources: []string{"deployments"}}},
		{name: "pods excluded", sel: selector{excludedResources: []string{"pods"}}},
		{name: "all excluded", sel: selector{includedResources: []string{"pods"}, excludedResources: []string{"*"}}},
		{name: "other resource excluded", sel: selector{excludedResources: []string{"secrets"}}, want: true},
		{name: "labels match", sel: selector{labelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}}}, want: true},
		{name: "labels do not match", sel: selector{labelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}},
		{name: "expression matches", want: true, sel: selector{labelSelector: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "app", Operator: metav1.LabelSelectorOpIn, Values: []string{"db", "cache"}}}}}},
		{name: "empty label selector matches all", sel: selector{labelSelector: &metav1.LabelSelector{}}, want: true},
		{name: "bad selector applies with an error", want: true, wantErr: true, sel: selector{labelSelector: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Near"}}}}},
		{name: "bad selector in another namespace", sel: selector{includedNamespaces: []string{"other"}, labelSelector: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Near"}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.sel.applies(testPod(nil))
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("applies = %v, %v; want %v, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}
