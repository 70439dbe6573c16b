package activities

import (
	"context"
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/activities/resources/filter"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

var (
	podsGVR = schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	pvcsGVR = schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumeclaims"}
)

// PlanPodVolumeBackups lists the pod volumes a backup takes, with Velero's
// rules: the pods the backup selects (namespaces, label selectors, and pods
// among the included resources), their volumes chosen by the pod
// annotations and --default-volumes-to-fs-backup (see podvolume.Select),
// each claim once even when several pods mount it. Pods that are not
// running are skipped with a reason. It also resolves each selected pod's
// pre and post exec hooks (its annotations, else the spec's) and its
// application dump, and groups the pods that share a claim, with their
// volumes, into item blocks (Velero 1.15's), whose pre hooks all run
// before any of their volumes is backed up.
func (r *Resources) PlanPodVolumeBackups(ctx context.Context, in PlanPodVolumeBackupsInput) (PlanPodVolumeBackupsResult, error) {
	cat, _, err := filter.Discover(ctx, r.Discovery)
	if err != nil {
		return PlanPodVolumeBackupsResult{}, fmt.Errorf("discovering the server's resources: %w", err)
	}
	f, err := filter.Compile(cat, in.Spec.filter())
	if err != nil {
		return PlanPodVolumeBackupsResult{}, invalid("invalid backup: " + err.Error())
	}
	podRes, ok := cat.Lookup(podsGVR.GroupResource())
	if !ok || !f.IncludesResource(podRes) {
		return PlanPodVolumeBackupsResult{}, nil
	}
	list, err := r.Dynamic.Resource(podsGVR).List(ctx, metav1.ListOptions{})
	if err != nil {
		return PlanPodVolumeBackupsResult{}, fmt.Errorf("listing pods: %w", err)
	}
	defaultAll := in.Spec.DefaultVolumesToFsBackup != nil && *in.Spec.DefaultVolumesToFsBackup
	var res PlanPodVolumeBackupsResult
	claims := map[string]bool{}
	blocks := newBlockBuilder()
	for i := range list.Items {
		u := &list.Items[i]
		if !f.IncludesNamespace(u.GetNamespace()) || !f.MatchesLabels(u.GetLabels()) {
			continue
		}
		var pod corev1.Pod
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &pod); err != nil {
			return PlanPodVolumeBackupsResult{}, fmt.Errorf("reading pod %s/%s: %w", u.GetNamespace(), u.GetName(), err)
		}
		blocks.addPod(podItemFor(&pod, in.Spec.Hooks))
		vols, skipped := podvolume.Select(&pod, defaultAll)
		skip := func(vol, pvc, reason string) {
			res.Skipped = append(res.Skipped, metadata.PodVolumeBackup{Namespace: pod.Namespace, Pod: pod.Name,
				Volume: vol, PVC: pvc, Phase: metadata.VolumeSkipped, Error: reason})
		}
		for _, s := range skipped {
			skip(s.Volume, "", s.Reason)
		}
		if len(vols) == 0 {
			continue
		}
		if pod.Status.Phase != corev1.PodRunning || pod.Spec.NodeName == "" {
			for _, v := range vols {
				skip(v.Name, v.PVC, fmt.Sprintf("pod %s/%s is %s, not Running: its volumes are not backed up", pod.Namespace, pod.Name, pod.Status.Phase))
			}
			continue
		}
		for _, v := range vols {
			if v.PVC != "" {
				blocks.share(pod.Namespace+"/"+v.PVC, pod.Namespace+"/"+pod.Name)
			}
			pv := PodVolume{Namespace: pod.Namespace, Pod: pod.Name, PodUID: string(pod.UID), Node: pod.Spec.NodeName,
				Volume: v.Name, PVC: v.PVC, Dir: v.Name}
			if v.PVC != "" {
				key := pod.Namespace + "/" + v.PVC
				if claims[key] {
					continue // another pod's backup of this claim holds its data
				}
				claims[key] = true
				volumeName, phase, err := r.claim(ctx, pod.Namespace, v.PVC)
				if err != nil {
					return PlanPodVolumeBackupsResult{}, err
				}
				if volumeName == "" || phase != string(corev1.ClaimBound) {
					skip(v.Name, v.PVC, fmt.Sprintf("PersistentVolumeClaim %s/%s is %s, not Bound", pod.Namespace, v.PVC, phase))
					continue
				}
				pv.Dir = volumeName
			}
			res.Volumes = append(res.Volumes, pv)
		}
	}
	slices.SortFunc(res.Volumes, func(a, b PodVolume) int {
		return strings.Compare(a.Namespace+"/"+a.Pod+"/"+a.Volume, b.Namespace+"/"+b.Pod+"/"+b.Volume)
	})
	res.Blocks = blocks.build(res.Volumes)
	return res, nil
}

// claim returns the volume name and phase of a PersistentVolumeClaim; a
// missing claim has neither.
func (r *Resources) claim(ctx context.Context, ns, name string) (volumeName, phase string, err error) {
	u, err := r.Dynamic.Resource(pvcsGVR).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		if apierrors.IsNotFound(err) {
			return "", "missing", nil
		}
		return "", "", fmt.Errorf("reading PersistentVolumeClaim %s/%s: %w", ns, name, err)
	}
	volumeName, _, _ = unstructured.NestedString(u.Object, "spec", "volumeName")
	phase, _, _ = unstructured.NestedString(u.Object, "status", "phase")
	return volumeName, phase, nil
}
