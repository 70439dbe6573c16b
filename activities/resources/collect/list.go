package collect

import (
	"context"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"

	"github.com/cairn-backup/cairn/activities/resources/filter"
)

func (c *collector) client(r filter.Resource, ns string) dynamic.ResourceInterface {
	nri := c.opts.Client.Resource(r.GroupVersionResource)
	if r.Namespaced && ns != "" {
		return nri.Namespace(ns)
	}
	return nri
}

// listOrdered emits the ordered objects of r (within namespace ns, or all
// namespaces when ns is empty) first, then lists the rest.
func (c *collector) listOrdered(ctx context.Context, r filter.Resource, ns string, keep func(*unstructured.Unstructured) bool) error {
	ordered := map[string]bool{}
	for _, key := range c.opts.Filter.Ordered(r.GroupResource()) {
		ons, name, _ := strings.Cut(key, "/")
		if !r.Namespaced {
			ons, name = "", key
		}
		if ns != "" && ons != ns {
			continue
		}
		ordered[key] = true
		obj, err := c.client(r, ons).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			c.warning(ons, "ordered %s %s does not exist", r.Name(), key)
			continue
		}
		if err != nil {
			c.problem(ons, "getting ordered %s %s: %v", r.Name(), key, err)
			continue
		}
		if keep(obj) {
			if err := c.emit(ctx, r, obj); err != nil {
				return err
			}
		}
	}
	return c.list(ctx, r, ns, func(obj *unstructured.Unstructured) error {
		if len(ordered) > 0 && ordered[qualified(obj)] {
			return nil
		}
		if !keep(obj) {
			return nil
		}
		return c.emit(ctx, r, obj)
	})
}

func qualified(obj *unstructured.Unstructured) string {
	if obj.GetNamespace() == "" {
		return obj.GetName()
	}
	return obj.GetNamespace() + "/" + obj.GetName()
}

// list pages through r (in namespace ns, or all) and calls fn for each
// object. A failure to list is recorded as a problem, not returned; fn's
// errors are returned.
func (c *collector) list(ctx context.Context, r filter.Resource, ns string, fn func(*unstructured.Unstructured) error) error {
	opts := metav1.ListOptions{Limit: c.opts.PageSize}
	for {
		page, err := c.client(r, ns).List(ctx, opts)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if apierrors.IsResourceExpired(err) && opts.Continue != "" {
				// The continue token expired: Velero restarts the list too.
				opts.Continue = ""
				continue
			}
			where := "all namespaces"
			if ns != "" {
				where = "namespace " + ns
			}
			c.problem(ns, "listing %s in %s: %v", r.Name(), where, err)
			return nil
		}
		for i := range page.Items {
			obj := &page.Items[i]
			if obj.GetAPIVersion() == "" {
				obj.SetAPIVersion(r.GroupVersion().String())
				obj.SetKind(r.Kind)
			}
			if err := fn(obj); err != nil {
				return err
			}
		}
		opts.Continue = page.GetContinue()
		if opts.Continue == "" {
			return nil
		}
	}
}
