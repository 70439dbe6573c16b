package hooks

import (
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// selector is the part of a resource hook that chooses the pods it applies to.
type selector struct {
	includedNamespaces, excludedNamespaces []string
	includedResources, excludedResources   []string
	labelSelector                          *metav1.LabelSelector
}

func (h BackupResourceHook) selector() selector {
	return selector{h.IncludedNamespaces, h.ExcludedNamespaces, h.IncludedResources, h.ExcludedResources, h.LabelSelector}
}

func (h RestoreResourceHook) selector() selector {
	return selector{h.IncludedNamespaces, h.ExcludedNamespaces, h.IncludedResources, h.ExcludedResources, h.LabelSelector}
}

// applies tells whether the resource hook applies to pod: its namespace
// is included and not excluded, pods are among the included resources
// and not excluded, and its labels match the label selector. With a label
// selector that does not parse, it applies when the rest does and err
// says why, so the pod's hooks report the selector rather than vanish.
func (s selector) applies(pod *corev1.Pod) (ok bool, err error) {
	if !namespaceIncluded(s.includedNamespaces, s.excludedNamespaces, pod.Namespace) ||
		!podsIncluded(s.includedResources, s.excludedResources) {
		return false, nil
	}
	if s.labelSelector == nil {
		return true, nil
	}
	sel, err := metav1.LabelSelectorAsSelector(s.labelSelector)
	if err != nil {
		return true, err
	}
	return sel.Matches(labels.Set(pod.Labels)), nil
}

// namespaceIncluded: included empty, "*" or ns, and neither "*" nor ns excluded.
func namespaceIncluded(included, excluded []string, ns string) bool {
	matches := func(n string) bool { n = strings.TrimSpace(n); return n == "*" || n == ns }
	if slices.ContainsFunc(excluded, matches) {
		return false
	}
	return len(included) == 0 || slices.ContainsFunc(included, matches)
}

// podsIncluded: included empty or naming pods, and pods not excluded.
func podsIncluded(included, excluded []string) bool {
	if slices.ContainsFunc(excluded, namesPods) {
		return false
	}
	return len(included) == 0 || slices.ContainsFunc(included, namesPods)
}

// namesPods tells whether a resource name covers core pods: "*", "pods",
// "pod", "po" or "pods." (the core group), in any case.
func namesPods(resource string) bool {
	switch strings.ToLower(strings.TrimSpace(resource)) {
	case "*", "pods", "pod", "po", "pods.":
		return true
	}
	return false
}
