package restore

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/cairn-backup/cairn/activities/resources/archive"
	"github.com/cairn-backup/cairn/activities/resources/filter"
)

// prepare turns a backed-up object into the one to create, as Velero's
// restore item actions do. keep false means the object is deliberately not
// restored (a PV that is provisioned anew or already exists).
func (r *restorer) prepare(ctx context.Context, res filter.Resource, it archive.ItemRef, obj *unstructured.Unstructured) (status any, keep bool, err error) {
	switch res.GroupResource() {
	case filter.PersistentVolumes:
		if keep, err := r.keepPV(ctx, res, obj); !keep || err != nil {
			return nil, false, err
		}
		resetVolumeBinding(obj)
		if ns, _, _ := unstructured.NestedString(obj.Object, "spec", "claimRef", "namespace"); ns != "" {
			_ = unstructured.SetNestedField(obj.Object, r.target(ns), "spec", "claimRef", "namespace")
		}
	case filter.PersistentVolumeClaims:
		if vol, _, _ := unstructured.NestedString(obj.Object, "spec", "volumeName"); vol != "" {
			resetVolumeBinding(obj)
			_, provision := r.toProvision.Load(vol)
			if provision || r.fsClaims[qualified(it.Namespace, it.Name)] {
				r.rec.Info("resetting PersistentVolumeClaim %s/%s for dynamic provisioning", it.Namespace, it.Name)
				unstructured.RemoveNestedField(obj.Object, "spec", "volumeName")
				if a := obj.GetAnnotations(); a != nil {
					delete(a, "volume.kubernetes.io/selected-node")
					obj.SetAnnotations(a)
				}
			}
		}
	case services:
		transformService(obj, r.opts.PreserveNodePorts)
	case pods:
		transformPod(obj)
		if vols := r.opts.PodVolumes[qualified(it.Namespace, it.Name)]; len(vols) > 0 {
			addRestoreWait(obj, vols, r.opts.HelperImage, r.opts.Name)
		}
		r.addInitHooks(obj)
	case serviceAccounts:
		transformServiceAccount(obj)
	case jobs:
		transformJob(obj)
	case filter.RoleBindings, filter.ClusterRoleBindings:
		mapSubjects(obj, r.opts.NamespaceMapping)
	}
	status = stripMetadata(obj)
	if it.Namespace != "" {
		obj.SetNamespace(r.target(it.Namespace))
	}
	addRestoreLabels(obj, r.opts.BackupName, r.opts.Name)
	return status, true, nil
}

// keepPV applies Velero's PV rules: a PV whose claim's data comes from a
// pod volume backup, or that has no snapshot and the Delete reclaim policy,
// is provisioned anew rather than restored; a PV that exists is left alone.
func (r *restorer) keepPV(ctx context.Context, res filter.Resource, obj *unstructured.Unstructured) (bool, error) {
	name := obj.GetName()
	claimNS, _, _ := unstructured.NestedString(obj.Object, "spec", "claimRef", "namespace")
	claim, _, _ := unstructured.NestedString(obj.Object, "spec", "claimRef", "name")
	if r.fsClaims[qualified(claimNS, claim)] {
		r.rec.Info("not restoring PersistentVolume %s: its claim has a pod volume backup, so it is provisioned anew", name)
		r.toProvision.Store(name, true)
		return false, nil
	}
	if policy, _, _ := unstructured.NestedString(obj.Object, "spec", "persistentVolumeReclaimPolicy"); policy == "Delete" {
		r.rec.Info("not restoring PersistentVolume %s: it has no snapshot and its reclaim policy is Delete, so it is provisioned anew", name)
		r.toProvision.Store(name, true)
		return false, nil
	}
	_, err := r.opts.Client.Resource(res.GroupVersionResource).Get(ctx, name, metav1.GetOptions{})
	if err == nil {
		r.rec.Info("not restoring PersistentVolume %s: it already exists", name)
		return false, nil
	}
	if !apierrors.IsNotFound(err) {
		return false, err
	}
	return true, nil
}
