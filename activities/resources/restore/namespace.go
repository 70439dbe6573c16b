package restore

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/cairn-backup/cairn/activities/resources/filter"
)

var nsGVR = filter.Namespaces.WithVersion("v1")

// target returns the namespace an object of backup namespace ns goes to.
func (r *restorer) target(ns string) string {
	if t, ok := r.opts.NamespaceMapping[ns]; ok && ns != "" {
		return t
	}
	return ns
}

// nsState is the outcome of ensuring one namespace.
type nsState struct {
	created bool
	err     error
}

// ensureNamespace makes sure the target namespace of backup namespace ns
// exists, creating it from the backed-up Namespace object when there is one,
// once per restore, and reports whether this restore created it. A
// namespace being deleted is an error.
func (r *restorer) ensureNamespace(ctx context.Context, ns string) (bool, error) {
	t := r.target(ns)
	r.nsMu.Lock()
	defer r.nsMu.Unlock()
	if st, done := r.nsDone[t]; done {
		return st.created, st.err
	}
	created, err := r.createNamespace(ctx, ns, t)
	r.nsDone[t] = nsState{created, err}
	return created, err
}

func (r *restorer) createNamespace(ctx context.Context, ns, t string) (bool, error) {
	existing, err := r.opts.Client.Resource(nsGVR).Get(ctx, t, metav1.GetOptions{})
	if err == nil {
		if existing.GetDeletionTimestamp() != nil {
			return false, fmt.Errorf("namespace %s is being deleted", t)
		}
		return false, nil
	}
	if !apierrors.IsNotFound(err) {
		return false, fmt.Errorf("getting namespace %s: %w", t, err)
	}
	obj := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace"}}
	if it, ok := r.plan.nsObjs[ns]; ok {
		if obj, err = r.plan.read(ctx, it); err != nil {
			return false, err
		}
		stripMetadata(obj)
		unstructured.RemoveNestedField(obj.Object, "spec", "finalizers")
	}
	obj.SetName(t)
	addRestoreLabels(obj, r.opts.BackupName, r.opts.Name)
	_, err = r.opts.Client.Resource(nsGVR).Create(ctx, obj, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("creating namespace %s: %w", t, err)
	}
	return true, nil
}
