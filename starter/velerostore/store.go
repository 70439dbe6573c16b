// Package velerostore reads and writes velero.io/v1 objects of one kind in
// one namespace as the Go values of starter/velerov1, through the dynamic
// client: Cairn needs no generated clientset. The Kubernetes face and the
// CLI share it.
package velerostore

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/dynamic"

	"github.com/cairn-backup/cairn/starter/velerov1"
)

// Store reads and writes the objects of one velero.io/v1 kind in one
// namespace as Go values of type T.
type Store[T any] struct {
	res dynamic.ResourceInterface
}

// For is the store of resource (velerov1's plural, such as
// velerov1.BackupsResource) in namespace ns.
func For[T any](dyn dynamic.Interface, resource, ns string) Store[T] {
	return Store[T]{res: dyn.Resource(velerov1.SchemeGroupVersion.WithResource(resource)).Namespace(ns)}
}

// Get reads object name.
func (o Store[T]) Get(ctx context.Context, name string) (*T, error) {
	u, err := o.res.Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	return FromUnstructured[T](u)
}

// List lists the objects that opts select.
func (o Store[T]) List(ctx context.Context, opts metav1.ListOptions) ([]T, error) {
	l, err := o.res.List(ctx, opts)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(l.Items))
	for i := range l.Items {
		v, err := FromUnstructured[T](&l.Items[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// Create creates obj, status and all: velero.io/v1 has no status
// subresource, as Velero's CRDs have none.
func (o Store[T]) Create(ctx context.Context, obj *T) (*T, error) {
	u, err := toUnstructured(obj)
	if err != nil {
		return nil, err
	}
	return fromUnstructuredOr[T](o.res.Create(ctx, u, metav1.CreateOptions{}))
}

// UpdateStatus writes obj, whose status changed; with no status
// subresource that is a plain update.
func (o Store[T]) UpdateStatus(ctx context.Context, obj *T) (*T, error) { return o.Update(ctx, obj) }

// Update writes obj.
func (o Store[T]) Update(ctx context.Context, obj *T) (*T, error) {
	u, err := toUnstructured(obj)
	if err != nil {
		return nil, err
	}
	return fromUnstructuredOr[T](o.res.Update(ctx, u, metav1.UpdateOptions{}))
}

// Delete deletes object name.
func (o Store[T]) Delete(ctx context.Context, name string) error {
	return o.res.Delete(ctx, name, metav1.DeleteOptions{})
}

func toUnstructured(obj any) (*unstructured.Unstructured, error) {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, err
	}
	return &unstructured.Unstructured{Object: m}, nil
}

// FromUnstructured converts an object the dynamic client or an informer
// returned into its Go value.
func FromUnstructured[T any](u *unstructured.Unstructured) (*T, error) {
	v := new(T)
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, v); err != nil {
		return nil, err
	}
	return v, nil
}

func fromUnstructuredOr[T any](u *unstructured.Unstructured, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	return FromUnstructured[T](u)
}
