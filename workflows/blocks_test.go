package workflows

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

var hk *activities.Hooks

// TestItemBlockHooks runs all pre hooks of a block's pods before any of
// its volumes, fails the volumes and skips the post hooks of a pod whose
// pre hook failed with Fail, runs the post hooks of the others after the
// volumes and dumps, and hands every outcome to the resource backup.
func TestItemBlockHooks(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.OnActivity(a.ValidateBackup, mock.Anything, mock.Anything).Return(activities.ValidateBackupResult{StorageLocation: "default", TTL: time.Hour}, nil)
	hook := func(pod, phase, name, onError string) hooks.Hook {
		return hooks.Hook{Name: name, Phase: phase, Namespace: "ns", Pod: pod, Container: "c", Command: []string{name}, OnError: onError, Timeout: time.Second}
	}
	block := activities.ItemBlock{
		Pods: []activities.PodItem{
			{Namespace: "ns", Pod: "p1", Pre: []hooks.Hook{hook("p1", "pre", "freeze-fails", "Fail"), hook("p1", "pre", "never", "Fail")},
				Post: []hooks.Hook{hook("p1", "post", "thaw1", "Fail")}},
			{Namespace: "ns", Pod: "p2", Pre: []hooks.Hook{hook("p2", "pre", "freeze2", "Fail")}, Post: []hooks.Hook{hook("p2", "post", "thaw2", "Fail")},
				Dump: &hooks.Dump{Namespace: "ns", Pod: "p2", Container: "c", Command: []string{"dump"}, Filename: "db.dump", Timeout: time.Minute}},
		},
		Volumes: []activities.PodVolume{
			{Namespace: "ns", Pod: "p1", Node: "n1", Volume: "data", PVC: "shared"},
			{Namespace: "ns", Pod: "p2", Node: "n1", Volume: "cache"},
		},
	}
	env.OnActivity(a.PlanPodVolumeBackups, mock.Anything, mock.Anything).Return(activities.PlanPodVolumeBackupsResult{
		Volumes: block.Volumes, Blocks: []activities.ItemBlock{block}}, nil)
	var mu sync.Mutex
	var events []string
	event := func(e string) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
	}
	env.OnActivity(hk.RunHook, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.RunHookInput) (metadata.HookResult, error) {
		event("hook " + in.Hook.Name)
		r := metadata.HookResult{Name: in.Hook.Name, Phase: in.Hook.Phase, Pod: in.Hook.Pod, OnError: in.Hook.OnError, Status: metadata.HookCompleted}
		if in.Hook.Name == "freeze-fails" {
			r.Status, r.ExitCode, r.Error = metadata.HookFailed, 3, "the command exited with code 3"
		}
		return r, nil
	})
	env.OnActivity(na.BackupPodVolume, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.BackupPodVolumeInput) (metadata.PodVolumeBackup, error) {
		event("volume " + in.Volume.Pod + "/" + in.Volume.Volume)
		return metadata.PodVolumeBackup{Namespace: "ns", Pod: in.Volume.Pod, Volume: in.Volume.Volume, Phase: metadata.VolumeCompleted}, nil
	})
	env.OnActivity(hk.BackupDump, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.BackupDumpInput) (metadata.PodDump, error) {
		event("dump " + in.Dump.Pod)
		return metadata.PodDump{Namespace: "ns", Pod: in.Dump.Pod, Filename: in.Dump.Filename, Phase: metadata.VolumeCompleted, SnapshotID: "d1"}, nil
	})
	var stored activities.BackupResourcesInput
	env.OnActivity(a.BackupResources, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.BackupResourcesInput) (activities.BackupResourcesResult, error) {
		stored = in
		return activities.BackupResourcesResult{Phase: PhasePartiallyFailed, Errors: 1}, nil
	})
	env.ExecuteWorkflow(Backup, BackupInput{Name: "b"})
	var res BackupResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	want := []string{"hook freeze-fails", "hook freeze2", "volume p2/cache", "dump p2", "hook thaw2"}
	if len(events) != len(want) || !slices.Equal(events[:2], want[:2]) || events[4] != "hook thaw2" ||
		!slices.Contains(events, "volume p2/cache") || !slices.Contains(events, "dump p2") {
		t.Errorf("events %v, want %v (volume and dump in either order)", events, want)
	}
	if len(stored.Hooks) != 3 || len(stored.Dumps) != 1 || stored.Dumps[0].SnapshotID != "d1" {
		t.Errorf("stored hooks %+v, dumps %+v", stored.Hooks, stored.Dumps)
	}
	var p1 *metadata.PodVolumeBackup
	for i, v := range stored.PodVolumeBackups {
		if v.Pod == "p1" {
			p1 = &stored.PodVolumeBackups[i]
		}
	}
	if p1 == nil || p1.Phase != metadata.VolumeFailed || p1.Error == "" {
		t.Errorf("p1's volume %+v: want Failed for its pre hook", p1)
	}
	if len(res.Hooks) != 3 || res.Phase != PhasePartiallyFailed {
		t.Errorf("result hooks %+v, phase %s", res.Hooks, res.Phase)
	}
}
