package restore

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic"

	"github.com/cairn-backup/cairn/activities/resources/filter"
)

func (r *restorer) client(res filter.Resource, obj *unstructured.Unstructured) dynamic.ResourceInterface {
	gvr := res.GroupVersionResource
	if gv, err := parseGV(obj.GetAPIVersion()); err == nil {
		gvr.Version = gv
	}
	nri := r.opts.Client.Resource(gvr)
	if obj.GetNamespace() != "" {
		return nri.Namespace(obj.GetNamespace())
	}
	return nri
}

// apply creates the object; if it exists, the existing-resource policy
// decides. Then the status is restored if asked for.
func (r *restorer) apply(ctx context.Context, res filter.Resource, obj *unstructured.Unstructured, status any, what string) outcome {
	ri := r.client(res, obj)
	ns := obj.GetNamespace()
	var got *unstructured.Unstructured
	var err error
	// A custom resource may be refused for a moment after its CRD is
	// Established, until the API server serves it.
	_ = wait.PollUntilContextTimeout(ctx, 250*time.Millisecond, r.opts.CRDTimeout, true, func(ctx context.Context) (bool, error) {
		got, err = ri.Create(ctx, obj, metav1.CreateOptions{})
		return !(apierrors.IsNotFound(err) && res.Group != ""), nil
	})
	o := created
	switch {
	case apierrors.IsAlreadyExists(err):
		o, got = r.existing(ctx, ri, res, obj, what)
	case err != nil:
		r.rec.Error(ns, "restoring %s: %v", what, err)
		return failed
	}
	if got != nil && status != nil && r.plan.statusRestored(res) {
		got.Object["status"] = status
		if _, err := ri.UpdateStatus(ctx, got, metav1.UpdateOptions{}); err != nil {
			r.rec.Warn(ns, "could not restore the status of %s: %v", what, err)
		}
	}
	return o
}

// existing handles an object that is already there: ServiceAccounts are
// merged; otherwise policy none leaves it (with a warning when it differs
// from the backup) and policy update patches it towards the backup.
func (r *restorer) existing(ctx context.Context, ri dynamic.ResourceInterface, res filter.Resource, desired *unstructured.Unstructured, what string) (outcome, *unstructured.Unstructured) {
	ns := desired.GetNamespace()
	inCluster, err := ri.Get(ctx, desired.GetName(), metav1.GetOptions{})
	if err != nil {
		r.rec.Error(ns, "restoring %s: it exists but cannot be read: %v", what, err)
		return failed, nil
	}
	from, to := comparable(inCluster), comparable(desired)
	if res.GroupResource() == serviceAccounts && r.opts.ExistingResourcePolicy == PolicyNone {
		return r.mergeServiceAccount(ctx, ri, inCluster, desired, what), nil
	}
	if reflect.DeepEqual(from, to) {
		return skipped, nil
	}
	if r.opts.ExistingResourcePolicy != PolicyUpdate {
		r.rec.Warn(ns, "could not restore, %s already exists. Warning: the in-cluster version is different than the backed-up version", what)
		return skipped, nil
	}
	patch := mergePatch(from, to)
	md, _ := patch["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
	}
	md["labels"] = mergeLabels(md["labels"], desired.GetLabels())
	patch["metadata"] = md
	data, err := json.Marshal(patch)
	if err == nil {
		var got *unstructured.Unstructured
		got, err = ri.Patch(ctx, desired.GetName(), types.MergePatchType, data, metav1.PatchOptions{})
		if err == nil {
			return updated, got
		}
	}
	r.rec.Warn(ns, "could not update existing %s: %v", what, err)
	return skipped, nil
}

func mergeLabels(patch any, labels map[string]string) map[string]any {
	out, _ := patch.(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	for _, k := range []string{BackupNameLabel, RestoreNameLabel} {
		out[k] = labels[k]
	}
	return out
}

// comparable strips what differs between any two copies of an object:
// server-set metadata, status and the restore labels.
func comparable(obj *unstructured.Unstructured) map[string]any {
	c := obj.DeepCopy()
	stripMetadata(c)
	if l := c.GetLabels(); l != nil {
		delete(l, BackupNameLabel)
		delete(l, RestoreNameLabel)
		if len(l) == 0 {
			unstructured.RemoveNestedField(c.Object, "metadata", "labels")
		} else {
			c.SetLabels(l)
		}
	}
	return c.Object
}

// mergePatch returns the JSON merge patch that turns from into to.
func mergePatch(from, to map[string]any) map[string]any {
	patch := map[string]any{}
	for k, tv := range to {
		fv, ok := from[k]
		if ok && reflect.DeepEqual(fv, tv) {
			continue
		}
		fm, fok := fv.(map[string]any)
		tm, tok := tv.(map[string]any)
		if ok && fok && tok {
			patch[k] = mergePatch(fm, tm)
			continue
		}
		patch[k] = tv
	}
	for k := range from {
		if _, ok := to[k]; !ok {
			patch[k] = nil
		}
	}
	return patch
}

// mergeServiceAccount adds the backed-up secrets and image pull secrets to
// an existing ServiceAccount, as Velero does.
func (r *restorer) mergeServiceAccount(ctx context.Context, ri dynamic.ResourceInterface, inCluster, desired *unstructured.Unstructured, what string) outcome {
	changed := false
	for _, field := range []string{"secrets", "imagePullSecrets"} {
		have, _, _ := unstructured.NestedSlice(inCluster.Object, field)
		want, _, _ := unstructured.NestedSlice(desired.Object, field)
		for _, w := range want {
			found := false
			for _, h := range have {
				if reflect.DeepEqual(h, w) {
					found = true
				}
			}
			if !found {
				have = append(have, w)
				changed = true
			}
		}
		if have != nil {
			_ = unstructured.SetNestedSlice(inCluster.Object, have, field)
		}
	}
	if !changed {
		return skipped
	}
	if _, err := ri.Update(ctx, inCluster, metav1.UpdateOptions{}); err != nil {
		r.rec.Warn(inCluster.GetNamespace(), "could not merge %s: %v", what, err)
		return skipped
	}
	return updated
}

// parseGV returns the version part of an apiVersion.
func parseGV(apiVersion string) (string, error) {
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil || gv.Version == "" {
		return "", fmt.Errorf("bad apiVersion %q", apiVersion)
	}
	return gv.Version, nil
}
