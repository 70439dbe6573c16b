package filter

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

// ErrUnknownResource is wrapped by Resolve when a name matches no resource.
var ErrUnknownResource = errors.New("unknown resource")

// Resource is one API resource the server serves, at its group's preferred
// version.
type Resource struct {
	schema.GroupVersionResource
	Kind       string
	Singular   string
	ShortNames []string
	Namespaced bool
	Verbs      []string
}

// GroupResource returns the resource's group and plural name.
func (r Resource) GroupResource() schema.GroupResource { return r.GroupVersionResource.GroupResource() }

// Name returns the resource's name as Velero writes it: "pods",
// "deployments.apps".
func (r Resource) Name() string { return r.GroupResource().String() }

// Can reports whether the resource supports verb.
func (r Resource) Can(verb string) bool { return slices.Contains(r.Verbs, verb) }

// Catalog is the set of resources a server serves, in discovery order (the
// core group first).
type Catalog struct {
	resources []Resource
	byGR      map[schema.GroupResource]int
}

// NewCatalog returns a catalog of rs; a later duplicate group-resource is
// ignored.
func NewCatalog(rs []Resource) *Catalog {
	c := &Catalog{byGR: make(map[schema.GroupResource]int, len(rs))}
	for _, r := range rs {
		c.Add(r)
	}
	return c
}

// Add adds r unless its group-resource is already known.
func (c *Catalog) Add(r Resource) {
	if _, ok := c.byGR[r.GroupResource()]; ok {
		return
	}
	c.byGR[r.GroupResource()] = len(c.resources)
	c.resources = append(c.resources, r)
}

// Resources returns every resource in discovery order.
func (c *Catalog) Resources() []Resource { return slices.Clone(c.resources) }

// Lookup returns the resource for gr.
func (c *Catalog) Lookup(gr schema.GroupResource) (Resource, bool) {
	i, ok := c.byGR[gr]
	if !ok {
		return Resource{}, false
	}
	return c.resources[i], true
}

// Resolve finds the resource a user-given name means: a plural, singular,
// kind or short name, optionally followed by ".group" (or ".version.group").
// Names are case-insensitive. Without a group the first match in discovery
// order wins, as with kubectl (so "events" is the core group's).
func (c *Catalog) Resolve(name string) (Resource, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return Resource{}, fmt.Errorf("empty resource name: %w", ErrUnknownResource)
	}
	res, group, hasGroup := strings.Cut(n, ".")
	for _, r := range c.resources {
		if hasGroup && !groupMatches(r, group) {
			continue
		}
		if !hasGroup && r.Group != "" && c.coreHas(res) {
			continue
		}
		if r.Resource == res || strings.ToLower(r.Singular) == res || strings.ToLower(r.Kind) == res ||
			slices.Contains(r.ShortNames, res) {
			return r, nil
		}
	}
	return Resource{}, fmt.Errorf("resource %q: %w", name, ErrUnknownResource)
}

// coreHas reports whether the core group has a resource named res by any of
// its names, so that a bare name prefers it.
func (c *Catalog) coreHas(res string) bool {
	for _, r := range c.resources {
		if r.Group == "" && (r.Resource == res || strings.ToLower(r.Singular) == res ||
			strings.ToLower(r.Kind) == res || slices.Contains(r.ShortNames, res)) {
			return true
		}
	}
	return false
}

func groupMatches(r Resource, group string) bool {
	if r.Group == group {
		return true
	}
	v, g, ok := strings.Cut(group, ".")
	return ok && v == r.Version && g == r.Group
}
