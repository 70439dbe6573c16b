package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

var na *activities.NodeAgent

// noVolumes makes the pod volume plans of a test empty.
func noVolumes(env *testsuite.TestWorkflowEnvironment) {
	env.OnActivity(a.PlanPodVolumeBackups, mock.Anything, mock.Anything).Return(activities.PlanPodVolumeBackupsResult{}, nil)
	env.OnActivity(a.PlanPodVolumeRestores, mock.Anything, mock.Anything).Return(activities.PlanPodVolumeRestoresResult{}, nil)
	noRestoreHooks(env)
}

// noRestoreHooks makes the restore hook plans of a test empty.
func noRestoreHooks(env *testsuite.TestWorkflowEnvironment) {
	env.OnActivity(a.PlanRestoreHooks, mock.Anything, mock.Anything).Return(activities.PlanRestoreHooksResult{}, nil)
}

// TestBackupPodVolumes routes each volume to the agent of its node, keeps a
// failed volume as a Failed entry with its reason, passes skipped ones
// through, and hands every outcome to the resource backup.
func TestBackupPodVolumes(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.OnActivity(a.ValidateBackup, mock.Anything, mock.Anything).Return(activities.ValidateBackupResult{StorageLocation: "default", TTL: time.Hour}, nil)
	vols := []activities.PodVolume{
		{Namespace: "ns", Pod: "p1", Node: "n1", Volume: "data", PVC: "c1", Dir: "pv1"},
		{Namespace: "ns", Pod: "p2", Node: "n2", Volume: "cache", Dir: "cache"},
	}
	skipped := metadata.PodVolumeBackup{Namespace: "ns", Pod: "p3", Volume: "v", Phase: metadata.VolumeSkipped, Error: "pod ns/p3 is Pending"}
	env.OnActivity(a.PlanPodVolumeBackups, mock.Anything, activities.PlanPodVolumeBackupsInput{Name: "b", Spec: activities.BackupSpec{}}).
		Return(activities.PlanPodVolumeBackupsResult{Volumes: vols, Skipped: []metadata.PodVolumeBackup{skipped}}, nil)
	queues := map[string]string{}
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		queues[info.ActivityType.Name+"/"+info.ActivityID] = info.TaskQueue
	})
	env.OnActivity(na.BackupPodVolume, mock.Anything, mock.MatchedBy(func(in activities.BackupPodVolumeInput) bool { return in.Volume.Pod == "p1" })).
		Return(metadata.PodVolumeBackup{Namespace: "ns", Pod: "p1", Volume: "data", PVC: "c1", SnapshotID: "s1", Files: 3, Bytes: 10, Phase: metadata.VolumeCompleted}, nil)
	env.OnActivity(na.BackupPodVolume, mock.Anything, mock.MatchedBy(func(in activities.BackupPodVolumeInput) bool { return in.Volume.Pod == "p2" })).
		Return(metadata.PodVolumeBackup{}, temporal.NewNonRetryableApplicationError("volume cache of pod u2 is not mounted", activities.ErrTypeVolumeNotFound, nil))
	var got []metadata.PodVolumeBackup
	env.OnActivity(a.BackupResources, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.BackupResourcesInput) (activities.BackupResourcesResult, error) {
			got = in.PodVolumeBackups
			return activities.BackupResourcesResult{Phase: PhasePartiallyFailed, Errors: 1}, nil
		})
	env.ExecuteWorkflow(Backup, BackupInput{Name: "b"})
	var res BackupResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Phase != PhasePartiallyFailed || len(res.PodVolumeBackups) != 3 || len(got) != 3 {
		t.Fatalf("result %+v, stored %+v", res, got)
	}
	byPod := map[string]metadata.PodVolumeBackup{}
	for _, v := range got {
		byPod[v.Pod] = v
	}
	if v := byPod["p1"]; v.Phase != metadata.VolumeCompleted || v.SnapshotID != "s1" {
		t.Errorf("p1 %+v", v)
	}
	if v := byPod["p2"]; v.Phase != metadata.VolumeFailed || v.Error != "volume cache of pod u2 is not mounted" || v.Node != "n2" {
		t.Errorf("p2 %+v", v)
	}
	if v := byPod["p3"]; v.Phase != metadata.VolumeSkipped {
		t.Errorf("p3 %+v", v)
	}
	want := map[string]bool{activities.NodeAgentQueue("n1"): true, activities.NodeAgentQueue("n2"): true}
	for k, q := range queues {
		if len(k) > 15 && k[:15] == "BackupPodVolume" && !want[q] {
			t.Errorf("%s ran on task queue %s", k, q)
		}
		delete(want, q)
	}
	if len(want) != 0 {
		t.Errorf("no activity on %v (queues %v)", want, queues)
	}
}

// TestRestorePodVolumes sends volume restores to the agents after the
// resources and makes a failed one PartiallyFailed.
func TestRestorePodVolumes(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.OnActivity(a.ValidateRestore, mock.Anything, mock.Anything).Return(activities.ValidateRestoreResult{StorageLocation: "default"}, nil)
	env.OnActivity(a.RestoreResources, mock.Anything, mock.Anything).Return(activities.RestoreResourcesResult{Phase: PhaseCompleted, Total: 4, Created: 4}, nil)
	env.OnActivity(a.PlanPodVolumeRestores, mock.Anything, mock.Anything).Return(activities.PlanPodVolumeRestoresResult{Volumes: []activities.PodVolumeRestore{
		{Namespace: "ns", Pod: "p1", Node: "n1", Volume: "data", SnapshotID: "s1"},
		{Namespace: "ns", Pod: "p2", Node: "n2", Volume: "data", SnapshotID: "s2"},
	}}, nil)
	env.OnActivity(na.RestorePodVolume, mock.Anything, mock.MatchedBy(func(in activities.RestorePodVolumeInput) bool { return in.Volume.Pod == "p1" })).
		Return(activities.PodVolumeRestoreResult{Namespace: "ns", Pod: "p1", Volume: "data", Files: 2, Phase: metadata.VolumeCompleted}, nil)
	env.OnActivity(na.RestorePodVolume, mock.Anything, mock.MatchedBy(func(in activities.RestorePodVolumeInput) bool { return in.Volume.Pod == "p2" })).
		Return(activities.PodVolumeRestoreResult{}, temporal.NewNonRetryableApplicationError("bad blob", "x", errors.New("bad blob")))
	noRestoreHooks(env)
	var recorded activities.RecordRestoreInput
	env.OnActivity(a.RecordRestore, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.RecordRestoreInput) error {
		recorded = in
		return nil
	})
	env.ExecuteWorkflow(Restore, RestoreInput{Name: "r", Spec: activities.RestoreSpec{BackupName: "b"}})
	if recorded.Phase != PhasePartiallyFailed || len(recorded.PodVolumeRestores) != 2 {
		t.Errorf("record brought to %+v", recorded)
	}
	var res RestoreResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Phase != PhasePartiallyFailed || len(res.PodVolumeRestores) != 2 || res.Errors != 1 {
		t.Fatalf("result %+v", res)
	}
	if v := res.PodVolumeRestores[1]; v.Phase != metadata.VolumeFailed || v.Error != "bad blob" || v.Pod != "p2" {
		t.Errorf("p2 %+v", v)
	}
}
