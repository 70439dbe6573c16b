package cli

import (
	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cairn-backup/cairn/starter"
)

// parseSelector reads the --selector of get or delete, which selects
// backups or restores by their labels; "" selects them all.
func parseSelector(s string) (labels.Selector, error) {
	sel, err := labels.Parse(s)
	if err != nil {
		return nil, refuse(field.ErrorList{field.Invalid(field.NewPath("Spec", "LabelSelector"), s, err.Error()+"; write e.g. team=web,tier!=db")})
	}
	return sel, nil
}

// selectingStarter parses selector, then dials as recordsStarter does.
// The caller closes the Temporal client.
func (t *temporalFlags) selectingStarter(cmd *cobra.Command, kube *kubeFlags, selector string) (labels.Selector, *starter.Client, error) {
	sel, err := parseSelector(selector)
	if err != nil {
		return nil, nil, err
	}
	sc, err := t.recordsStarter(cmd, kube)
	return sel, sc, err
}

// selected keeps the items of list whose labels sel matches.
func selected[T any](list []T, sel labels.Selector, labelsOf func(T) map[string]string) []T {
	if sel.Empty() {
		return list
	}
	var out []T
	for _, item := range list {
		if sel.Matches(labels.Set(labelsOf(item))) {
			out = append(out, item)
		}
	}
	return out
}
