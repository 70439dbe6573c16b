package workflows

import (
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// DefaultNodeAgentTimeout is how long a pod volume waits for the agent of
// its node to pick it up before it fails, so that a node without an agent
// gives a clear error instead of a backup that hangs.
const DefaultNodeAgentTimeout = 2 * time.Minute

// nodeAgentQueue is the task queue of the agent of node in the workflow's
// cluster.
func nodeAgentQueue(ctx workflow.Context, node string) string {
	return clusterOf(ctx).Scope(activities.NodeAgentQueue(node))
}

// nodeAgentOptions route an activity to the agent of node.
func nodeAgentOptions(ctx workflow.Context, node string, startTimeout time.Duration) workflow.Context {
	if startTimeout <= 0 {
		startTimeout = DefaultNodeAgentTimeout
	}
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		TaskQueue:              nodeAgentQueue(ctx, node),
		ScheduleToStartTimeout: startTimeout,
		StartToCloseTimeout:    24 * time.Hour,
		HeartbeatTimeout:       6 * activities.HeartbeatInterval,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        time.Minute,
			MaximumAttempts:        5,
			NonRetryableErrorTypes: []string{activities.ErrTypeInvalid, activities.ErrTypeVolumeNotFound},
		},
	})
}

// waitOptions run a controller step that waits on the cluster.
func waitOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			MaximumAttempts:        3,
			NonRetryableErrorTypes: []string{activities.ErrTypeInvalid},
		},
	})
}

// backupPodVolumes sends every volume to the agent of its node at once
// (agents bound their own concurrency) and records each outcome in st as it
// lands; a volume whose activity fails is a Failed entry with the reason.
// A volume whose repository is locked (a maintenance) waits for it.
func backupPodVolumes(ctx workflow.Context, in BackupInput, location string, vols []activities.PodVolume, st *BackupResult) {
	var na *activities.NodeAgent
	first := len(st.PodVolumeBackups)
	wg := workflow.NewWaitGroup(ctx)
	for i, v := range vols {
		st.PodVolumeBackups = append(st.PodVolumeBackups, metadata.PodVolumeBackup{Namespace: v.Namespace, Pod: v.Pod,
			PodUID: v.PodUID, Node: v.Node, Volume: v.Volume, PVC: v.PVC, Phase: PhaseInProgress})
		wg.Add(1)
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer wg.Done()
			var r metadata.PodVolumeBackup
			err := untilUnlocked(ctx, st.waitingFor, func() error {
				return workflow.ExecuteActivity(withSummary(nodeAgentOptions(ctx, v.Node, in.NodeAgentTimeout),
					"back up pod volume %s/%s %s (node %s)", v.Namespace, v.Pod, v.Volume, v.Node), na.BackupPodVolume,
					activities.BackupPodVolumeInput{Backup: in.Name, StorageLocation: location, Volume: v}).Get(ctx, &r)
			})
			if err != nil {
				r = st.PodVolumeBackups[first+i]
				r.Phase, r.Error = metadata.VolumeFailed, volumeError(err, v.Node, nodeAgentQueue(ctx, v.Node))
			}
			st.PodVolumeBackups[first+i] = r
		})
	}
	wg.Wait(ctx)
}

// restorePodVolumes sends every volume restore to the agent of its pod's
// node and records each outcome in st, waiting for a locked repository as
// backupPodVolumes does.
func restorePodVolumes(ctx workflow.Context, in RestoreInput, location string, vols []activities.PodVolumeRestore, st *RestoreResult) {
	var na *activities.NodeAgent
	first := len(st.PodVolumeRestores)
	wg := workflow.NewWaitGroup(ctx)
	for i, v := range vols {
		st.PodVolumeRestores = append(st.PodVolumeRestores, activities.PodVolumeRestoreResult{Namespace: v.Namespace,
			Pod: v.Pod, Volume: v.Volume, SnapshotID: v.SnapshotID, Phase: PhaseInProgress})
		wg.Add(1)
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer wg.Done()
			var r activities.PodVolumeRestoreResult
			err := untilUnlocked(ctx, st.waitingFor, func() error {
				return workflow.ExecuteActivity(withSummary(nodeAgentOptions(ctx, v.Node, in.NodeAgentTimeout),
					"restore pod volume %s/%s %s (node %s)", v.Namespace, v.Pod, v.Volume, v.Node), na.RestorePodVolume,
					activities.RestorePodVolumeInput{Restore: in.Name, StorageLocation: location, Volume: v}).Get(ctx, &r)
			})
			if err != nil {
				r = st.PodVolumeRestores[first+i]
				r.Phase, r.Error = metadata.VolumeFailed, volumeError(err, v.Node, nodeAgentQueue(ctx, v.Node))
			}
			st.PodVolumeRestores[first+i] = r
		})
	}
	wg.Wait(ctx)
}

// volumeError explains a failed pod volume activity, naming the node and
// its agent's task queue when no agent took it.
func volumeError(err error, node, queue string) string {
	var te *temporal.TimeoutError
	if errors.As(err, &te) && te.TimeoutType() == enumspb.TIMEOUT_TYPE_SCHEDULE_TO_START {
		return fmt.Sprintf("no node agent picked the volume up on node %s (task queue %s): is `cairn node-agent` running there?",
			node, queue)
	}
	return reason(err)
}
