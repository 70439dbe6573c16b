package restore

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/cairn-backup/cairn/activities/resources/archive"
	"github.com/cairn-backup/cairn/activities/resources/filter"
)

// outcome of one object.
type outcome string

const (
	created  outcome = "created"
	updated  outcome = "updated"
	skipped  outcome = "skipped"
	failed   outcome = "failed"
	excluded outcome = "" // filtered out or deliberately not restored: not counted
)

// restoreItem restores one object and records the outcome; problems go
// into the results, never out as errors.
func (r *restorer) restoreItem(ctx context.Context, res filter.Resource, blobs archive.Blobs, it archive.ItemRef, crdErr error) {
	ns := r.target(it.Namespace)
	what := fmt.Sprintf("%s %s", res.Name(), qualified(ns, it.Name))
	obj, err := r.plan.readFrom(ctx, blobs, it)
	if err != nil {
		r.count(res, obj, ns, it.Name, failed)
		r.rec.Error(ns, "%v", err)
		return
	}
	if !r.plan.selected(res, it, obj) {
		return
	}
	if res.GroupResource() == filter.Namespaces {
		o := skipped
		if made, err := r.ensureNamespace(ctx, it.Name); err != nil {
			o = failed
			r.rec.Error("", "restoring namespace %s: %v", it.Name, err)
		} else if made {
			o = created
		}
		r.count(res, obj, "", r.target(it.Name), o)
		return
	}
	if crdErr != nil {
		r.count(res, obj, ns, it.Name, failed)
		r.rec.Error(ns, "restoring %s: %v", what, crdErr)
		return
	}
	status, keep, err := r.prepare(ctx, res, it, obj)
	if err != nil {
		r.count(res, obj, ns, it.Name, failed)
		r.rec.Error(ns, "restoring %s: %v", what, err)
		return
	}
	if !keep {
		return
	}
	if it.Namespace != "" {
		if _, err := r.ensureNamespace(ctx, it.Namespace); err != nil {
			r.count(res, obj, ns, it.Name, failed)
			r.rec.Error(ns, "restoring %s: %v", what, err)
			return
		}
	}
	o := r.apply(ctx, res, obj, status, what)
	r.count(res, obj, ns, it.Name, o)
}

func (r *restorer) count(res filter.Resource, obj *unstructured.Unstructured, ns, name string, o outcome) {
	if o == excluded {
		return
	}
	r.mu.Lock()
	r.total++
	switch o {
	case created:
		r.created++
	case updated:
		r.updated++
	case skipped:
		r.skipped++
	case failed:
		r.fails++
	}
	r.mu.Unlock()
	apiVersion, kind := res.GroupVersion().String(), res.Kind
	if obj != nil {
		apiVersion, kind = obj.GetAPIVersion(), obj.GetKind()
	}
	r.list.Add(apiVersion, kind, ns, name+"("+string(o)+")")
	r.rec.Item(itemMessages[o], res.Name(), ns, name)
}

// itemMessages are the restore log's words for each outcome of an object.
var itemMessages = map[outcome]string{
	created: "Restored item", updated: "Updated existing item", skipped: "Skipped existing item", failed: "Failed to restore item",
}

func qualified(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}
