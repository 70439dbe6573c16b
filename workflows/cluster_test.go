package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// TestNamedClusterRoutesToItsAgents: a backup that runs on a named
// cluster's task queue sends its pod volumes to that cluster's node
// agents, not to another cluster's node of the same name.
func TestNamedClusterRoutesToItsAgents(t *testing.T) {
	for queue, want := range map[string]string{"east/cairn": "east/node-agent/n1", "cairn": "node-agent/n1"} {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		env.SetStartWorkflowOptions(client.StartWorkflowOptions{TaskQueue: queue})
		env.OnActivity(a.ValidateBackup, mock.Anything, mock.Anything).Return(activities.ValidateBackupResult{StorageLocation: "default", TTL: time.Hour}, nil)
		env.OnActivity(a.PlanPodVolumeBackups, mock.Anything, mock.Anything).Return(activities.PlanPodVolumeBackupsResult{
			Volumes: []activities.PodVolume{{Namespace: "ns", Pod: "p1", Node: "n1", Volume: "data", Dir: "data"}}}, nil)
		var got string
		env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
			if info.ActivityType.Name == "BackupPodVolume" {
				got = info.TaskQueue
			}
		})
		env.OnActivity(na.BackupPodVolume, mock.Anything, mock.Anything).Return(
			metadata.PodVolumeBackup{Namespace: "ns", Pod: "p1", Volume: "data", Phase: metadata.VolumeCompleted}, nil)
		env.OnActivity(a.BackupResources, mock.Anything, mock.Anything).Return(activities.BackupResourcesResult{Phase: PhaseCompleted}, nil)
		env.ExecuteWorkflow(Backup, BackupInput{Name: "b"})
		if err := env.GetWorkflowError(); err != nil {
			t.Fatalf("%s: %v", queue, err)
		}
		if got != want {
			t.Errorf("a backup on task queue %s sent its volume to %q, want %q", queue, got, want)
		}
	}
}
