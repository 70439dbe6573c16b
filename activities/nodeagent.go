package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/archiver"
)

// ErrTypeVolumeNotFound is the type of the non-retryable error of a pod
// volume whose files are not on the node.
const ErrTypeVolumeNotFound = "VolumeNotFound"

// NodeAgent holds what the pod volume activities of one node need: the
// kubelet's pods folder and the storage locations. Its activities run on
// the node's own task queue (NodeAgentQueue).
type NodeAgent struct {
	Node string
	// PodsDir is the kubelet's pods folder (podvolume.DefaultPodsDir).
	PodsDir   string
	Locations LocationResolver
	// ReadConcurrency is the number of files of one volume read at once
	// (archiver's default when zero).
	ReadConcurrency int
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

func (a *NodeAgent) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// BackupPodVolume backs up one pod volume's files into the repository of
// its namespace, creating the repository on first use, as a snapshot tagged
// with the backup, namespace, pod, volume and claim, whose parent is the
// last snapshot of the same claim (or pod volume). It works under a shared
// lock; a repository locked exclusively (a maintenance) fails it with
// ErrTypeRepositoryLocked, and the workflow waits. It heartbeats the
// repository's checkpoint and its lock; a retried attempt first removes
// the interrupted one's lock and indexes the packs it uploaded, so it
// uploads only what is missing.
func (a *NodeAgent) BackupPodVolume(ctx context.Context, in BackupPodVolumeInput) (metadata.PodVolumeBackup, error) {
	v := in.Volume
	out := metadata.PodVolumeBackup{Namespace: v.Namespace, Pod: v.Pod, PodUID: v.PodUID, Node: a.Node, Volume: v.Volume, PVC: v.PVC}
	start := a.now()
	dir, err := podvolume.Dir(a.PodsDir, v.PodUID, v.Dir)
	if err != nil {
		return out, temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeVolumeNotFound, nil)
	}
	st, err := a.Locations.Resolve(ctx, in.StorageLocation)
	if err != nil {
		return out, err
	}
	if st.ReadOnly {
		return out, invalid(fmt.Sprintf("backup storage location %q is read-only", st.Name))
	}
	resume := previousProgress(ctx).Checkpoint
	recovering := activity.GetInfo(ctx).Attempt > 1 || resume != nil
	rp, lock, closeRepo, err := openShared(ctx, st, NamespaceRepoDir(v.Namespace), true, recovering)
	if err != nil {
		return out, err
	}
	defer closeRepo()
	defer unlock(ctx, lock)
	if recovering {
		rec, err := rp.RecoverPacks(ctx)
		if err != nil {
			return out, err
		}
		activity.GetLogger(ctx).Info("resuming pod volume backup", "volume", v.Namespace+"/"+v.Pod+"/"+v.Volume,
			"recoveredPacks", rec.Packs, "recoveredBytes", rec.Bytes)
	}
	src := podvolume.Source{Backup: in.Backup, Namespace: v.Namespace, Pod: v.Pod, Volume: v.Volume, PVC: v.PVC}
	parent, parentPath := "", ""
	switch sn, err := rp.FindSnapshotFiltered(ctx, "latest", repo.SnapshotFilter{Tags: []string{strings.Join(src.ParentTags(), ",")}}); {
	case err == nil:
		parent = sn.ID().String()
		if len(sn.Paths) == 1 && sn.Paths[0] != dir {
			parentPath = sn.Paths[0] // the claim was mounted by an earlier pod (another UID)
		}
	case !errors.Is(err, repo.ErrNotFound):
		return out, err
	}
	res, err := archiver.Backup(ctx, rp, []string{dir}, archiver.Options{
		Hostname: podvolume.Hostname, Tags: src.Tags(), Parent: parent, ParentPath: parentPath, Resume: resume,
		ReadConcurrency: a.ReadConcurrency, ProgressInterval: HeartbeatInterval,
		OnProgress: func(p archiver.Progress) {
			// The first heartbeat of an attempt goes out at once (later ones
			// are throttled): it names the lock for a retry to remove.
			cp := p.Checkpoint
			activity.RecordHeartbeat(ctx, PodVolumeProgress{Namespace: v.Namespace, Pod: v.Pod, Volume: v.Volume, FilesDone: p.FilesDone, BytesDone: p.BytesDone,
				TotalFiles: p.TotalFiles, TotalBytes: p.TotalBytes, Checkpoint: &cp, LockID: lock.ID().String()})
		},
	})
	if err != nil {
		return out, fmt.Errorf("backing up %s/%s volume %s: %w", v.Namespace, v.Pod, v.Volume, err)
	}
	out.SnapshotID = res.SnapshotID.String()
	if s := res.Snapshot.Summary; s != nil {
		out.Files, out.Bytes, out.BytesAdded = uint64(s.TotalFilesProcessed), s.TotalBytesProcessed, s.DataAdded
	}
	out.BytesUploaded = uint64(rp.Checkpoint().BytesUploaded)
	out.Warnings = res.Warnings
	out.Duration = a.now().Sub(start)
	out.Phase = metadata.VolumeCompleted
	return out, nil
}

// previousProgress is the last heartbeat of the attempt this one replaces,
// if any.
func previousProgress(ctx context.Context) PodVolumeProgress {
	var last PodVolumeProgress
	if activity.HasHeartbeatDetails(ctx) {
		if activity.GetHeartbeatDetails(ctx, &last) != nil {
			return PodVolumeProgress{}
		}
	}
	return last
}
