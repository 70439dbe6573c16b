package collect

import (
	"context"
	"slices"

	"golang.org/x/sync/errgroup"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/cairn-backup/cairn/activities/resources/filter"
)

var serviceAccounts = schema.GroupResource{Resource: "serviceaccounts"}

// clusterPass handles the cluster-scoped resources once the namespaced ones
// are known: those the filter includes are listed; otherwise, unless the
// cluster mode is None, the objects selected ones refer to are fetched
// (ClusterRoleBindings of selected service accounts first, since they add
// ClusterRoles). Namespace objects come last.
func (c *collector) clusterPass(ctx context.Context, rs []filter.Resource) error {
	f := c.opts.Filter
	var nsRes *filter.Resource
	var related []filter.Resource
	g, gctx := errgroup.WithContext(ctx) // the included resources, listed in parallel
	g.SetLimit(c.opts.Parallel)
	for _, r := range rs {
		switch {
		case r.GroupResource() == filter.Namespaces:
			nsRes = &r
		case f.IncludesResource(r):
			// Objects that selected ones refer to (a PVC's PV) come along even
			// when the label selector does not match them, as Velero's item
			// actions add them.
			gr := r.GroupResource()
			keep := func(obj *unstructured.Unstructured) bool {
				if f.MatchesLabels(obj.GetLabels()) {
					return true
				}
				c.mu.Lock()
				related := c.related[filter.Ref{Resource: gr, Name: obj.GetName()}]
				c.mu.Unlock()
				return related && !filter.Excluded(obj.GetLabels())
			}
			g.Go(func() error { return c.listOrdered(gctx, r, "", keep) })
		case f.AllowsRelated(r):
			related = append(related, r)
		}
	}
	if err := g.Wait(); err != nil {
		return err
	}
	// Bindings first: they add ClusterRoles to the related set.
	slices.SortStableFunc(related, func(a, b filter.Resource) int {
		return boolInt(a.GroupResource() != filter.ClusterRoleBindings) - boolInt(b.GroupResource() != filter.ClusterRoleBindings)
	})
	for _, r := range related {
		if err := c.fetchRelated(ctx, r); err != nil {
			return err
		}
	}
	if nsRes != nil && f.AllowsNamespaceObject() {
		return c.namespaces(ctx, *nsRes)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// fetchRelated emits the objects of r that selected objects refer to.
func (c *collector) fetchRelated(ctx context.Context, r filter.Resource) error {
	gr := r.GroupResource()
	if gr == filter.ClusterRoleBindings {
		return c.list(ctx, r, "", func(obj *unstructured.Unstructured) error {
			if filter.Excluded(obj.GetLabels()) || !c.bindsSelectedAccount(obj) {
				return nil
			}
			if role, ok := filter.BindingRole(obj); ok {
				c.mu.Lock()
				c.related[filter.Ref{Resource: filter.ClusterRoles, Name: role}] = true
				c.mu.Unlock()
			}
			return c.emit(ctx, r, obj)
		})
	}
	var names []string
	c.mu.Lock()
	for ref := range c.related {
		if ref.Resource == gr {
			names = append(names, ref.Name)
		}
	}
	if gr == filter.CustomResourceDefinitions {
		for name := range c.crdGroups {
			names = append(names, name)
		}
	}
	c.mu.Unlock()
	slices.Sort(names)
	for _, name := range names {
		obj, err := c.client(r, "").Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			if gr != filter.CustomResourceDefinitions { // aggregated APIs have no CRD
				// A dangling reference: Velero warns and goes on.
				c.warning("", "%s %s, referred to by a selected object, does not exist", r.Name(), name)
			}
			continue
		}
		if err != nil {
			c.problem("", "getting %s %s: %v", r.Name(), name, err)
			continue
		}
		if filter.Excluded(obj.GetLabels()) {
			continue
		}
		if err := c.emit(ctx, r, obj); err != nil {
			return err
		}
	}
	return nil
}

// bindsSelectedAccount reports whether a ClusterRoleBinding has a selected
// service account among its subjects.
func (c *collector) bindsSelectedAccount(obj *unstructured.Unstructured) bool {
	subjects, _, _ := unstructured.NestedSlice(obj.Object, "subjects")
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range subjects {
		m, _ := s.(map[string]any)
		kind, _ := m["kind"].(string)
		ns, _ := m["namespace"].(string)
		name, _ := m["name"].(string)
		if kind == "ServiceAccount" && c.accounts[ns+"/"+name] {
			return true
		}
	}
	return false
}

// namespaces emits the Namespace object of every selected namespace whose
// content was selected, or that is selected itself (the namespaces resource
// included and its labels matching).
func (c *collector) namespaces(ctx context.Context, r filter.Resource) error {
	f := c.opts.Filter
	direct := f.ExplicitlyIncludesResource(r)
	return c.list(ctx, r, "", func(obj *unstructured.Unstructured) error {
		name := obj.GetName()
		if !f.IncludesNamespace(name) || filter.Excluded(obj.GetLabels()) {
			return nil
		}
		c.mu.Lock()
		content := c.nsContent[name]
		c.mu.Unlock()
		if !content && !(direct && f.MatchesLabels(obj.GetLabels())) {
			return nil
		}
		return c.emit(ctx, r, obj)
	})
}
