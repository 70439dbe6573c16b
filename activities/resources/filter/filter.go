package filter

import (
	"fmt"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// ClusterMode is the cluster-scoped rule in effect.
type ClusterMode int

// The cluster modes: Velero's tri-state IncludeClusterResources.
const (
	ClusterAuto ClusterMode = iota // unset: all when every namespace is selected, else only related objects
	ClusterAll                     // true
	ClusterNone                    // false
)

// Namespaces is the core group's namespaces resource.
var Namespaces = schema.GroupResource{Resource: "namespaces"}

// Filter is a compiled Spec. It is safe for concurrent use.
type Filter struct {
	namespaces Names
	scoped     bool
	resources  includeExclude // old style
	clusterRes includeExclude // scoped: cluster-scoped lists
	nsRes      includeExclude // scoped: namespace-scoped lists
	cluster    ClusterMode
	selectors  []labels.Selector
	ordered    map[schema.GroupResource][]string
}

// Compile validates spec and resolves its resource names through c. Every
// problem is reported before any work starts: bad globs, unknown resources,
// old and scoped filters together, malformed or conflicting selectors and
// malformed ordered resources.
func Compile(c *Catalog, spec Spec) (*Filter, error) {
	if spec.scoped() && spec.oldStyle() {
		return nil, fmt.Errorf("the old resource filters (include/exclude resources, include cluster resources) and the scoped ones cannot be used together")
	}
	ns, err := NewNames(spec.IncludedNamespaces, spec.ExcludedNamespaces)
	if err != nil {
		return nil, err
	}
	f := &Filter{namespaces: ns, scoped: spec.scoped()}
	sets := []struct {
		dst   *resourceSet
		names []string
		what  string
	}{
		{&f.resources.include, spec.IncludedResources, "included resources"},
		{&f.resources.exclude, spec.ExcludedResources, "excluded resources"},
		{&f.clusterRes.include, spec.IncludedClusterScopedResources, "included cluster-scoped resources"},
		{&f.clusterRes.exclude, spec.ExcludedClusterScopedResources, "excluded cluster-scoped resources"},
		{&f.nsRes.include, spec.IncludedNamespaceScopedResources, "included namespace-scoped resources"},
		{&f.nsRes.exclude, spec.ExcludedNamespaceScopedResources, "excluded namespace-scoped resources"},
	}
	for _, s := range sets {
		if *s.dst, err = resolveSet(c, s.names, s.what); err != nil {
			return nil, err
		}
	}
	if err := checkScopes(c, f); err != nil {
		return nil, err
	}
	switch {
	case spec.IncludeClusterResources == nil:
		f.cluster = ClusterAuto
	case *spec.IncludeClusterResources:
		f.cluster = ClusterAll
	default:
		f.cluster = ClusterNone
	}
	if f.selectors, err = parseSelectors(spec.LabelSelector, spec.OrLabelSelectors); err != nil {
		return nil, err
	}
	if f.ordered, err = parseOrdered(c, spec.OrderedResources); err != nil {
		return nil, err
	}
	return f, nil
}

// checkScopes rejects a scoped list naming a resource of the other scope.
func checkScopes(c *Catalog, f *Filter) error {
	for _, s := range []struct {
		set        resourceSet
		namespaced bool
	}{{f.clusterRes.include, false}, {f.clusterRes.exclude, false}, {f.nsRes.include, true}, {f.nsRes.exclude, true}} {
		for gr := range s.set.grs {
			if r, _ := c.Lookup(gr); r.Namespaced != s.namespaced {
				return fmt.Errorf("resource %s is %s, not %s", gr, scopeName(r.Namespaced), scopeName(s.namespaced))
			}
		}
	}
	return nil
}

func scopeName(namespaced bool) string {
	if namespaced {
		return "namespace-scoped"
	}
	return "cluster-scoped"
}

// Namespaces returns the namespace matcher.
func (f *Filter) Namespaces() Names { return f.namespaces }

// IncludesNamespace reports whether objects of namespace ns are selected.
func (f *Filter) IncludesNamespace(ns string) bool { return f.namespaces.Match(ns) }

// ClusterMode returns the cluster-scoped rule.
func (f *Filter) ClusterMode() ClusterMode { return f.cluster }

// IncludesResource reports whether every object of r is to be listed
// directly (namespaced ones still pass IncludesNamespace).
func (f *Filter) IncludesResource(r Resource) bool {
	gr := r.GroupResource()
	if f.scoped {
		if r.Namespaced {
			return f.nsRes.match(gr)
		}
		if f.clusterRes.exclude.has(gr) {
			return false
		}
		if f.clusterRes.unset() {
			return f.namespaces.All() && f.nsRes.include.empty()
		}
		return f.clusterRes.include.has(gr)
	}
	if !f.resources.match(gr) {
		return false
	}
	if r.Namespaced {
		return true
	}
	switch f.cluster {
	case ClusterAll:
		return true
	case ClusterNone:
		return false
	default:
		return f.namespaces.All()
	}
}

// AllowsRelated reports whether a cluster-scoped object of r that a selected
// object refers to (a PVC's PV, a binding's ClusterRole, a custom resource's
// CRD) may be pulled in.
func (f *Filter) AllowsRelated(r Resource) bool {
	gr := r.GroupResource()
	if f.scoped {
		return !f.clusterRes.exclude.has(gr)
	}
	return f.cluster != ClusterNone && !f.resources.exclude.has(gr)
}

// AllowsNamespaceObject reports whether the Namespace object of a namespace
// whose content is selected may be stored with it.
func (f *Filter) AllowsNamespaceObject() bool {
	if f.scoped {
		return !f.clusterRes.exclude.has(Namespaces)
	}
	return !f.resources.exclude.has(Namespaces)
}

// ExplicitlyIncludesResource reports whether the include lists name r or
// "*" (with nothing excluding it), as opposed to including it by default.
func (f *Filter) ExplicitlyIncludesResource(r Resource) bool {
	gr := r.GroupResource()
	if f.scoped {
		return !f.clusterRes.exclude.has(gr) && f.clusterRes.include.has(gr)
	}
	return f.resources.match(gr) && (f.resources.include.empty() || f.resources.include.has(gr))
}

// MatchesLabels reports whether an object with these labels passes the
// selectors and carries no exclude label.
func (f *Filter) MatchesLabels(l map[string]string) bool {
	return !Excluded(l) && matchSelectors(f.selectors, l)
}

// HasSelector reports whether a label selector is set.
func (f *Filter) HasSelector() bool { return len(f.selectors) > 0 }

// Ordered returns the ordered objects of gr ("ns/name" or "name").
func (f *Filter) Ordered(gr schema.GroupResource) []string { return f.ordered[gr] }
