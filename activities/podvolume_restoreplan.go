package activities

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/activities/resources/filter"
	"github.com/cairn-backup/cairn/activities/resources/restore"
)

// PlanPodVolumeRestores lists the pod volumes a restore writes: the
// completed pod volume backups of its backup whose pods this restore created
// (with the restore-wait init container). It waits, heartbeating, until
// each such pod is bound to a node and its claims are bound, so that every
// volume can go to the agent of its node. A pod this restore did not create
// (it existed already) keeps its data and is a warning.
func (r *Resources) PlanPodVolumeRestores(ctx context.Context, in PlanPodVolumeRestoresInput) (PlanPodVolumeRestoresResult, error) {
	st, err := r.Locations.Resolve(ctx, in.StorageLocation)
	if err != nil {
		return PlanPodVolumeRestoresResult{}, err
	}
	records, err := st.Records()
	if err != nil {
		return PlanPodVolumeRestoresResult{}, err
	}
	pvbs, err := restoredPodVolumes(ctx, records, in.Spec)
	if err != nil || len(pvbs) == 0 {
		return PlanPodVolumeRestoresResult{}, err
	}
	names, err := filter.NewNames(in.Spec.IncludedNamespaces, in.Spec.ExcludedNamespaces)
	if err != nil {
		return PlanPodVolumeRestoresResult{}, invalid("invalid restore: " + err.Error())
	}
	var res PlanPodVolumeRestoresResult
	for _, v := range pvbs {
		if !names.Match(v.Namespace) {
			continue
		}
		ns := v.Namespace
		if m, ok := in.Spec.NamespaceMappings[ns]; ok {
			ns = m
		}
		pod, err := r.waitScheduled(ctx, ns, v.Pod)
		if err != nil {
			return PlanPodVolumeRestoresResult{}, err
		}
		if pod == nil || !restoredBy(pod, in.Name) {
			res.Warnings = append(res.Warnings, fmt.Sprintf(
				"volume %s of pod %s/%s is not restored: the pod was not created by this restore", v.Volume, ns, v.Pod))
			continue
		}
		pvr := PodVolumeRestore{BackupNamespace: v.Namespace, Namespace: ns, Pod: v.Pod, PodUID: string(pod.UID),
			Node: pod.Spec.NodeName, Volume: v.Volume, PVC: v.PVC, Dir: v.Volume, SnapshotID: v.SnapshotID}
		if claim := claimOf(pod, v.Volume); claim != "" {
			pvr.PVC = claim
			if pvr.Dir, err = r.waitBound(ctx, ns, claim); err != nil {
				return PlanPodVolumeRestoresResult{}, err
			}
		}
		res.Volumes = append(res.Volumes, pvr)
	}
	return res, nil
}

// restoredBy reports whether restore created the pod with its restore-wait
// init container.
func restoredBy(pod *corev1.Pod, restoreName string) bool {
	if len(pod.Spec.InitContainers) == 0 || pod.Spec.InitContainers[0].Name != podvolume.InitContainerName {
		return false
	}
	return pod.Labels[restore.RestoreNameLabel] == restoreName
}

// claimOf is the claim behind the pod's volume, or "".
func claimOf(pod *corev1.Pod, volume string) string {
	for _, v := range pod.Spec.Volumes {
		if v.Name == volume && v.PersistentVolumeClaim != nil {
			return v.PersistentVolumeClaim.ClaimName
		}
	}
	return ""
}

// waitScheduled waits until the pod is bound to a node; a missing pod is
// nil.
func (r *Resources) waitScheduled(ctx context.Context, ns, name string) (*corev1.Pod, error) {
	for {
		u, err := r.Dynamic.Resource(podsGVR).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading pod %s/%s: %w", ns, name, err)
		}
		var pod corev1.Pod
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &pod); err != nil {
			return nil, fmt.Errorf("reading pod %s/%s: %w", ns, name, err)
		}
		if pod.Spec.NodeName != "" {
			return &pod, nil
		}
		if err := pause(ctx, fmt.Sprintf("pod %s/%s to be scheduled", ns, name)); err != nil {
			return nil, err
		}
	}
}

// waitBound waits until the claim is bound and returns its volume's name.
func (r *Resources) waitBound(ctx context.Context, ns, claim string) (string, error) {
	for {
		vol, phase, err := r.claim(ctx, ns, claim)
		if err != nil {
			return "", err
		}
		if vol != "" && phase == string(corev1.ClaimBound) {
			return vol, nil
		}
		if err := pause(ctx, fmt.Sprintf("PersistentVolumeClaim %s/%s to be bound", ns, claim)); err != nil {
			return "", err
		}
	}
}

// pause heartbeats and waits a little before the next look.
func pause(ctx context.Context, what string) error {
	activity.RecordHeartbeat(ctx, "waiting for "+what)
	select {
	case <-ctx.Done():
		return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
	case <-time.After(250 * time.Millisecond):
		return nil
	}
}
