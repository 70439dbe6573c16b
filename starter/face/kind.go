package face

import (
	"context"
	"log/slog"

	"k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"

	"github.com/cairn-backup/cairn/starter/velerostore"
	"github.com/cairn-backup/cairn/starter/velerov1"
)

// kind is one velero.io/v1 kind the face watches: its objects, the
// informer's cache of them, and the queue of names whose objects changed,
// which handle works off.
type kind[T any] struct {
	name    string
	objects velerostore.Store[T]
	lister  cache.GenericNamespaceLister
	synced  cache.InformerSynced
	queue   workqueue.TypedRateLimitingInterface[string]
	handle  func(ctx context.Context, obj *T) error
	// gone, when set, hears about every object deleted.
	gone func(ctx context.Context, name string) error
}

// newKind watches resource in namespace ns; handle, when set, hears about
// every object that is added or changed.
func newKind[T any](dyn dynamic.Interface, factory dynamicinformer.DynamicSharedInformerFactory, ns, resource string) *kind[T] {
	gvr := velerov1.SchemeGroupVersion.WithResource(resource)
	inf := factory.ForResource(gvr)
	k := &kind[T]{
		name:    resource,
		objects: velerostore.For[T](dyn, resource, ns),
		lister:  inf.Lister().ByNamespace(ns),
		synced:  inf.Informer().HasSynced,
		queue:   workqueue.NewTypedRateLimitingQueueWithConfig(workqueue.DefaultTypedControllerRateLimiter[string](), workqueue.TypedRateLimitingQueueConfig[string]{Name: resource}),
	}
	_, _ = inf.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    k.enqueue,
		UpdateFunc: func(_, obj any) { k.enqueue(obj) },
		DeleteFunc: k.enqueueDeleted,
	})
	return k
}

// enqueue queues obj's name for a kind that handles changes; the kinds
// the face only writes (pod volume backups, repositories) queue nothing.
func (k *kind[T]) enqueue(obj any) {
	if k.handle == nil && k.gone == nil {
		return
	}
	if u, ok := obj.(*unstructured.Unstructured); ok {
		k.queue.Add(u.GetName())
	}
}

func (k *kind[T]) enqueueDeleted(obj any) {
	if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = d.Obj
	}
	k.enqueue(obj)
}

// cached returns the object of name from the informer's cache, nil when
// there is none.
func (k *kind[T]) cached(name string) *T {
	o, err := k.lister.Get(name)
	if err != nil {
		return nil
	}
	u, ok := o.(*unstructured.Unstructured)
	if !ok {
		return nil
	}
	v, err := velerostore.FromUnstructured[T](u)
	if err != nil {
		return nil
	}
	return v
}

// all returns every cached object.
func (k *kind[T]) all() []*T {
	objs, err := k.lister.List(labels.Everything())
	if err != nil {
		return nil
	}
	out := make([]*T, 0, len(objs))
	for _, o := range objs {
		if u, ok := o.(*unstructured.Unstructured); ok {
			if v, err := velerostore.FromUnstructured[T](u); err == nil {
				out = append(out, v)
			}
		}
	}
	return out
}

// work handles queued names until ctx ends; a failed name is retried
// with backoff.
func (k *kind[T]) work(ctx context.Context, log *slog.Logger) {
	go func() { <-ctx.Done(); k.queue.ShutDown() }()
	for {
		name, quit := k.queue.Get()
		if quit {
			return
		}
		k.process(ctx, log, name)
		k.queue.Done(name)
	}
}

func (k *kind[T]) process(ctx context.Context, log *slog.Logger, name string) {
	var err error
	switch obj := k.cached(name); {
	case obj == nil && k.gone != nil:
		err = k.gone(ctx, name)
	case obj != nil && k.handle != nil:
		err = k.handle(ctx, obj)
	}
	if err != nil && ctx.Err() == nil {
		if !errors.IsConflict(err) {
			log.Warn("handling a velero.io object", "resource", k.name, "name", name, "error", err)
		}
		k.queue.AddRateLimited(name)
		return
	}
	k.queue.Forget(name)
}
