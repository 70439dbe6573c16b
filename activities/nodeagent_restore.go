package activities

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo/restorer"
)

// RestorePodVolume writes one pod volume's snapshot into the volume of the
// restored pod on this node, once the kubelet has mounted it, then leaves
// the restore's done-marker that the pod's restore-wait init container
// waits for. Every blob is verified before it is written; a retry writes
// the volume again. It reads under a shared lock (a repository locked
// exclusively fails it with ErrTypeRepositoryLocked, and the workflow
// waits), which it heartbeats for a retry to remove.
func (a *NodeAgent) RestorePodVolume(ctx context.Context, in RestorePodVolumeInput) (PodVolumeRestoreResult, error) {
	v := in.Volume
	out := PodVolumeRestoreResult{Namespace: v.Namespace, Pod: v.Pod, Volume: v.Volume, SnapshotID: v.SnapshotID, Phase: metadata.VolumeFailed}
	start := a.now()
	dir, err := a.waitForVolume(ctx, v)
	if err != nil {
		return out, err
	}
	st, err := a.Locations.Resolve(ctx, in.StorageLocation)
	if err != nil {
		return out, err
	}
	rp, lock, closeRepo, err := openShared(ctx, st, NamespaceRepoDir(v.BackupNamespace), false, false)
	if err != nil {
		return out, err
	}
	defer closeRepo()
	defer unlock(ctx, lock)
	sn, err := rp.FindSnapshot(ctx, v.SnapshotID)
	if err != nil {
		return out, fmt.Errorf("snapshot %s of %s/%s volume %s: %w", v.SnapshotID, v.BackupNamespace, v.Pod, v.Volume, err)
	}
	if len(sn.Paths) != 1 {
		return out, fmt.Errorf("snapshot %s has %d paths; a pod volume snapshot has one", v.SnapshotID, len(sn.Paths))
	}
	res, err := restorer.Restore(ctx, rp, sn, restorer.Options{
		Target: dir, Subtree: sn.Paths[0], ProgressInterval: HeartbeatInterval,
		Progress: func(p restorer.Progress) {
			activity.RecordHeartbeat(ctx, PodVolumeProgress{Namespace: v.Namespace, Pod: v.Pod, Volume: v.Volume, FilesDone: p.FilesDone, BytesDone: p.BytesDone,
				TotalFiles: p.FilesTotal, TotalBytes: p.BytesTotal, LockID: lock.ID().String()})
		},
	})
	if err != nil {
		return out, fmt.Errorf("restoring %s/%s volume %s: %w", v.Namespace, v.Pod, v.Volume, err)
	}
	if err := podvolume.WriteMarker(dir, in.Restore); err != nil {
		return out, fmt.Errorf("writing the done-marker of %s/%s volume %s: %w", v.Namespace, v.Pod, v.Volume, err)
	}
	out.Files, out.Bytes = res.FilesDone, res.BytesDone
	out.Duration = a.now().Sub(start)
	out.Phase = metadata.VolumeCompleted
	return out, nil
}

// waitForVolume waits, heartbeating, until the kubelet has set up the
// restored pod's volume.
func (a *NodeAgent) waitForVolume(ctx context.Context, v PodVolumeRestore) (string, error) {
	for {
		dir, err := podvolume.Dir(a.PodsDir, v.PodUID, v.Dir)
		if err == nil {
			return dir, nil
		}
		activity.RecordHeartbeat(ctx, PodVolumeProgress{Namespace: v.Namespace, Pod: v.Pod, Volume: v.Volume})
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("waiting for volume %s of pod %s/%s: %w (last: %v)", v.Volume, v.Namespace, v.Pod, ctx.Err(), err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}
