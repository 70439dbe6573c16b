package activities

import (
	"cmp"
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/activities/resources/restore"
)

// PlanRestoreHooks lists what runs in the pods this restore created once
// their volumes are back: each pod's post-restore exec hooks (its
// annotations, else the restore spec's) and the load of its application
// dump (the restore.cairn.dev/load-command annotation), matched with the
// dump the backup took of the same pod. A load without such a dump is a
// Failed outcome that names the pod.
func (r *Resources) PlanRestoreHooks(ctx context.Context, in PlanRestoreHooksInput) (PlanRestoreHooksResult, error) {
	list, err := r.Dynamic.Resource(podsGVR).List(ctx, metav1.ListOptions{LabelSelector: restore.RestoreNameLabel + "=" + in.Name})
	if err != nil {
		return PlanRestoreHooksResult{}, fmt.Errorf("listing the restored pods: %w", err)
	}
	dumps, err := r.backupDumps(ctx, in)
	if err != nil {
		return PlanRestoreHooksResult{}, err
	}
	source := reverseMapping(in.Spec.NamespaceMappings)
	var res PlanRestoreHooksResult
	for i := range list.Items {
		var pod corev1.Pod
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(list.Items[i].Object, &pod); err != nil {
			return PlanRestoreHooksResult{}, fmt.Errorf("reading pod %s/%s: %w", list.Items[i].GetNamespace(), list.Items[i].GetName(), err)
		}
		p := PodRestoreHooks{Namespace: pod.Namespace, Pod: pod.Name, Hooks: hooks.ForRestoreExec(&pod, in.Spec.Hooks)}
		if l := hooks.ForLoad(&pod); l != nil {
			backupNS := cmp.Or(source[pod.Namespace], pod.Namespace)
			d, ok := dumps[backupNS+"/"+pod.Name+"/"+l.Filename]
			if !ok {
				res.Failed = append(res.Failed, metadata.PodDump{Namespace: pod.Namespace, Pod: pod.Name, Container: l.Container,
					Filename: l.Filename, Phase: metadata.VolumeFailed, Error: fmt.Sprintf(
						"backup %s holds no completed dump %s of pod %s/%s to load", in.Spec.BackupName, l.Filename, backupNS, pod.Name)})
			} else {
				p.Load = &LoadDumpInput{Restore: in.Name, StorageLocation: in.StorageLocation, BackupNamespace: backupNS,
					SnapshotID: d.SnapshotID, Bytes: d.Bytes, Load: *l}
			}
		}
		if p.Load != nil || len(p.Hooks) > 0 {
			res.Pods = append(res.Pods, p)
		}
	}
	return res, nil
}

// backupDumps are the completed dumps of the restore's backup by
// "ns/pod/filename".
func (r *Resources) backupDumps(ctx context.Context, in PlanRestoreHooksInput) (map[string]metadata.PodDump, error) {
	st, err := r.Locations.Resolve(ctx, in.StorageLocation)
	if err != nil {
		return nil, err
	}
	records, err := st.Records()
	if err != nil {
		return nil, err
	}
	l, err := records.GetBackupDumps(ctx, in.Spec.BackupName)
	if err != nil {
		return nil, fmt.Errorf("reading the dumps of backup %s: %w", in.Spec.BackupName, err)
	}
	out := map[string]metadata.PodDump{}
	for _, d := range l {
		if d.Phase == metadata.VolumeCompleted {
			out[d.Namespace+"/"+d.Pod+"/"+d.Filename] = d
		}
	}
	return out, nil
}

// reverseMapping maps each target namespace of mappings to its source.
func reverseMapping(mappings map[string]string) map[string]string {
	out := make(map[string]string, len(mappings))
	for src, dst := range mappings {
		out[dst] = src
	}
	return out
}
