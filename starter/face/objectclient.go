package face

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/dynamic"
)

// store reads and writes the objects of one velero.io/v1 kind in the
// install namespace as Go values of type T, through the dynamic client:
// Cairn needs no generated clientset.
type store[T any] struct {
	res dynamic.ResourceInterface
}

func (o store[T]) get(ctx context.Context, name string) (*T, error) {
	u, err := o.res.Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	return fromUnstructured[T](u)
}

func (o store[T]) list(ctx context.Context, opts metav1.ListOptions) ([]T, error) {
	l, err := o.res.List(ctx, opts)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(l.Items))
	for i := range l.Items {
		v, err := fromUnstructured[T](&l.Items[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// create creates obj, status and all: velero.io/v1 has no status
// subresource, as Velero's CRDs have none.
func (o store[T]) create(ctx context.Context, obj *T) (*T, error) {
	u, err := toUnstructured(obj)
	if err != nil {
		return nil, err
	}
	return fromUnstructuredOr[T](o.res.Create(ctx, u, metav1.CreateOptions{}))
}

// updateStatus writes obj, whose status changed; with no status
// subresource that is a plain update.
func (o store[T]) updateStatus(ctx context.Context, obj *T) (*T, error) { return o.update(ctx, obj) }

func (o store[T]) update(ctx context.Context, obj *T) (*T, error) {
	u, err := toUnstructured(obj)
	if err != nil {
		return nil, err
	}
	return fromUnstructuredOr[T](o.res.Update(ctx, u, metav1.UpdateOptions{}))
}

func (o store[T]) delete(ctx context.Context, name string) error {
	return o.res.Delete(ctx, name, metav1.DeleteOptions{})
}

func toUnstructured(obj any) (*unstructured.Unstructured, error) {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, err
	}
	return &unstructured.Unstructured{Object: m}, nil
}

func fromUnstructured[T any](u *unstructured.Unstructured) (*T, error) {
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
	return fromUnstructured[T](u)
}
