package restore

import (
	"context"
	"encoding/json"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/cairn-backup/cairn/activities/resources/archive"
	"github.com/cairn-backup/cairn/activities/resources/filter"
)

// plan is what a restore will do, worked out before any write.
type plan struct {
	reader  *archive.Reader
	byRes   map[string][]archive.ItemRef
	order   []string
	cat     *filter.Catalog
	filter  *filter.Filter
	status  *filter.Filter // nil: no status is restored
	related map[filter.Ref]bool
	nsObjs  map[string]archive.ItemRef // backed-up Namespace objects by name
	// all holds every blob of a small backup, read once (see prefetchSmall).
	all archive.Blobs
}

// smallBackup is the size up to which a backup's objects are all read
// before the restore starts, in one ranged read per pack, rather than
// resource by resource: a namespace or two of objects.
const smallBackup = 8 << 20

// prefetchSmall reads every object of a small backup at once.
func (p *plan) prefetchSmall(ctx context.Context, items []archive.ItemRef) error {
	var size uint64
	for _, it := range items {
		if size += it.Size; size > smallBackup {
			return nil
		}
	}
	all, err := p.reader.Prefetch(ctx, items)
	p.all = all
	return err
}

// prefetch returns the blobs of a batch of items: all of a small backup's,
// else the batch's, read now.
func (p *plan) prefetch(ctx context.Context, batch []archive.ItemRef) (archive.Blobs, error) {
	if p.all != nil {
		return p.all, nil
	}
	return p.reader.Prefetch(ctx, batch)
}

// resource returns the catalog's resource for a backup folder name, or one
// built from the name when the server does not serve it (yet).
func (p *plan) resource(name string, namespaced bool) filter.Resource {
	gr := schema.ParseGroupResource(name)
	if r, ok := p.cat.Lookup(gr); ok {
		return r
	}
	return filter.Resource{GroupVersionResource: gr.WithVersion(""), Namespaced: namespaced}
}

// addBackedUpCRDs adds the resources the backup's CRDs define to the
// catalog, so filters may name custom resources whose CRD is not installed.
func (p *plan) addBackedUpCRDs(ctx context.Context) error {
	for _, it := range p.byRes[filter.CustomResourceDefinitions.String()] {
		obj, err := p.read(ctx, it)
		if err != nil {
			return err
		}
		var crd struct {
			Spec struct {
				Group string `json:"group"`
				Scope string `json:"scope"`
				Names struct {
					Plural, Singular, Kind string
					ShortNames             []string `json:"shortNames"`
				} `json:"names"`
				Versions []struct {
					Name    string `json:"name"`
					Storage bool   `json:"storage"`
				} `json:"versions"`
			} `json:"spec"`
		}
		data, _ := json.Marshal(obj.Object)
		if err := json.Unmarshal(data, &crd); err != nil {
			return fmt.Errorf("decoding backed-up CRD %s: %w", it.Name, err)
		}
		version := ""
		for _, v := range crd.Spec.Versions {
			if v.Storage || version == "" {
				version = v.Name
			}
		}
		p.cat.Add(filter.Resource{
			GroupVersionResource: schema.GroupVersionResource{Group: crd.Spec.Group, Version: version, Resource: crd.Spec.Names.Plural},
			Kind:                 crd.Spec.Names.Kind, Singular: crd.Spec.Names.Singular, ShortNames: crd.Spec.Names.ShortNames,
			Namespaced: crd.Spec.Scope != "Cluster", Verbs: []string{"create", "get", "list", "patch", "update"},
		})
	}
	return nil
}

func (p *plan) read(ctx context.Context, it archive.ItemRef) (*unstructured.Unstructured, error) {
	return p.readFrom(ctx, p.all, it)
}

// readFrom decodes an object, its blobs taken from blobs when there.
func (p *plan) readFrom(ctx context.Context, blobs archive.Blobs, it archive.ItemRef) (*unstructured.Unstructured, error) {
	data, err := p.reader.ReadItemFrom(ctx, blobs, it)
	if err != nil {
		return nil, err
	}
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("decoding %s %s/%s: %w", it.Resource, it.Namespace, it.Name, err)
	}
	return obj, nil
}

// findRelated works out, for the auto cluster rule with a namespace filter,
// which backed-up cluster objects the restored namespaced ones refer to:
// PVs of PVCs, ClusterRoles of RoleBindings, ClusterRoleBindings of service
// accounts (and their ClusterRoles), and CRDs of custom resources.
func (p *plan) findRelated(ctx context.Context) error {
	p.related = map[filter.Ref]bool{}
	for res, items := range p.byRes {
		gr := schema.ParseGroupResource(res)
		for _, it := range items {
			if it.Namespace == "" || !p.filter.IncludesNamespace(it.Namespace) {
				continue
			}
			if gr.Group != "" {
				p.related[filter.Ref{Resource: filter.CustomResourceDefinitions, Name: res}] = true
			}
			if gr != filter.PersistentVolumeClaims && gr != filter.RoleBindings {
				continue
			}
			obj, err := p.read(ctx, it)
			if err != nil {
				return err
			}
			for _, ref := range filter.Related(gr, obj) {
				p.related[ref] = true
			}
		}
	}
	for _, it := range p.byRes[filter.ClusterRoleBindings.String()] {
		obj, err := p.read(ctx, it)
		if err != nil {
			return err
		}
		for _, ns := range filter.BindingSubjectNamespaces(obj) {
			if p.filter.IncludesNamespace(ns) {
				p.related[filter.Ref{Resource: filter.ClusterRoleBindings, Name: it.Name}] = true
				if role, ok := filter.BindingRole(obj); ok {
					p.related[filter.Ref{Resource: filter.ClusterRoles, Name: role}] = true
				}
			}
		}
	}
	return nil
}

// selected reports whether an object passes the restore's filters.
func (p *plan) selected(r filter.Resource, it archive.ItemRef, obj *unstructured.Unstructured) bool {
	f := p.filter
	if !f.MatchesLabels(obj.GetLabels()) && !(r.GroupResource() == filter.Namespaces) {
		return false
	}
	switch {
	case it.Namespace != "":
		return f.IncludesNamespace(it.Namespace) && f.IncludesResource(r)
	case r.GroupResource() == filter.Namespaces:
		return f.IncludesNamespace(it.Name) && f.ExplicitlyIncludesResource(r) && f.MatchesLabels(obj.GetLabels())
	case f.IncludesResource(r):
		return true
	default:
		return f.AllowsRelated(r) && p.related[filter.Ref{Resource: r.GroupResource(), Name: it.Name}]
	}
}

// statusRestored reports whether r's status is restored.
func (p *plan) statusRestored(r filter.Resource) bool {
	return p.status != nil && p.status.ExplicitlyIncludesResource(r)
}
