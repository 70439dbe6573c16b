package starter

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/types/known/timestamppb"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo/backend/location"
	"github.com/cairn-backup/cairn/workflows"
)

// fakeTemporal knows the running workflows of running, each answering the
// progress query with its state; every other workflow is not found, as
// after Temporal's retention.
type fakeTemporal struct {
	client.Client
	running map[string]any // workflow ID -> progress
}

func (f *fakeTemporal) ListWorkflow(_ context.Context, req *workflowservice.ListWorkflowExecutionsRequest) (*workflowservice.ListWorkflowExecutionsResponse, error) {
	var resp workflowservice.ListWorkflowExecutionsResponse
	for _, id := range slices.Sorted(maps.Keys(f.running)) {
		if kind, _, _ := strings.Cut(id, "/"); strings.Contains(req.GetQuery(), "'"+kind+"'") {
			resp.Executions = append(resp.Executions, &workflowpb.WorkflowExecutionInfo{Execution: &commonpb.WorkflowExecution{WorkflowId: id}})
		}
	}
	return &resp, nil
}

func (f *fakeTemporal) DescribeWorkflowExecution(_ context.Context, id, _ string) (*workflowservice.DescribeWorkflowExecutionResponse, error) {
	if _, ok := f.running[id]; !ok {
		return nil, serviceerror.NewNotFound("workflow not found for ID: " + id)
	}
	return &workflowservice.DescribeWorkflowExecutionResponse{WorkflowExecutionInfo: &workflowpb.WorkflowExecutionInfo{
		Status: enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING}}, nil
}

// DescribeTaskQueue says that a cairn server polls, so that running
// workflows are queried.
func (f *fakeTemporal) DescribeTaskQueue(context.Context, string, enumspb.TaskQueueType) (*workflowservice.DescribeTaskQueueResponse, error) {
	return &workflowservice.DescribeTaskQueueResponse{Pollers: []*taskqueuepb.PollerInfo{{
		Identity: "1@host@cairn-server/v0", LastAccessTime: timestamppb.Now(),
	}}}, nil
}

func (f *fakeTemporal) QueryWorkflow(_ context.Context, id, _, _ string, _ ...any) (converter.EncodedValue, error) {
	p, err := converter.GetDefaultDataConverter().ToPayloads(f.running[id])
	if err != nil {
		return nil, err
	}
	return client.NewValue(p), nil
}

// dirLocations are local-folder locations by name; broken ones cannot be
// resolved.
type dirLocations struct {
	dirs   map[string]string
	broken []string
}

func (d dirLocations) Resolve(_ context.Context, name string) (activities.Storage, error) {
	if slices.Contains(d.broken, name) {
		return activities.Storage{}, errors.New("secret missing")
	}
	return activities.Storage{Name: name, Where: location.Location{Path: d.dirs[name]}}, nil
}

func (d dirLocations) Names(context.Context) ([]string, error) {
	return slices.Sorted(slices.Values(append(slices.Collect(maps.Keys(d.dirs)), d.broken...))), nil
}

func recordsOf(t *testing.T, dir string) metadata.Store {
	t.Helper()
	ds, err := metadata.NewDirStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	return metadata.Store{Objects: ds}
}

func putBackup(t *testing.T, s metadata.Store, name, loc string, started time.Time, pvbs []metadata.PodVolumeBackup) {
	t.Helper()
	sel, _ := metadata.SelectorFor("app=nginx")
	rec := &metadata.Backup{APIVersion: "velero.io/v1", Kind: "Backup",
		Metadata: metav1.ObjectMeta{Name: name, Annotations: map[string]string{metadata.SnapshotAnnotation: "abc123"}},
		Spec: metadata.BackupSpec{IncludedNamespaces: []string{"nginx-example"}, LabelSelector: sel, StorageLocation: loc,
			TTL: metav1.Duration{Duration: 720 * time.Hour}},
		Status: metadata.BackupStatus{Phase: metadata.PhasePartiallyFailed, Errors: 1, Warnings: 2,
			StartTimestamp: &metav1.Time{Time: started}, CompletionTimestamp: &metav1.Time{Time: started.Add(3 * time.Second)},
			Expiration: &metav1.Time{Time: started.Add(720 * time.Hour)},
			Progress:   &metadata.BackupProgress{TotalItems: 9, ItemsBackedUp: 9}}}
	if err := s.PutBackup(context.Background(), metadata.BackupFiles{Record: rec, Log: []byte("log of " + name + "\n"),
		ResourceList: metadata.ResourceList{"v1/Pod": {"nginx-example/p"}}, PodVolumeBackups: pvbs}); err != nil {
		t.Fatal(err)
	}
}

// TestRecordsAfterRetention finds backups and restores that Temporal
// forgot in the records of the locations: listed along with the running
// ones, once each, and described from their records.
func TestRecordsAfterRetention(t *testing.T) {
	ctx := context.Background()
	dirA, dirB := t.TempDir(), t.TempDir()
	a, b := recordsOf(t, dirA), recordsOf(t, dirB)
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	pvbs := []metadata.PodVolumeBackup{{Namespace: "nginx-example", Pod: "nginx", Volume: "logs", PVC: "nginx-logs",
		SnapshotID: "feed", Files: 3, Bytes: 160, Phase: metadata.VolumeCompleted}}
	putBackup(t, a, "old", "a", t0, pvbs)
	putBackup(t, b, "older", "b", t0.Add(-time.Hour), nil)
	putBackup(t, b, "running", "b", t0, nil) // also in Temporal: Temporal's state wins
	if err := b.PutRestore(ctx, metadata.RestoreFiles{Name: "old-restore", Log: []byte("restore log\n"),
		Record: &metadata.Restore{Metadata: metav1.ObjectMeta{Name: "old-restore"},
			Spec: metadata.RestoreSpec{BackupName: "older", NamespaceMapping: map[string]string{"a": "b"}},
			Status: metadata.RestoreStatus{Phase: metadata.PhaseCompleted, ItemsCreated: 4, Progress: &metadata.RestoreProgress{TotalItems: 5, ItemsRestored: 4},
				StartTimestamp: &metav1.Time{Time: t0}}}}); err != nil {
		t.Fatal(err)
	}
	var legacy metadata.Results
	legacy.Errors.Add("", "restore failed: the apiserver went away")
	if err := a.PutRestore(ctx, metadata.RestoreFiles{Name: "legacy", Results: legacy}); err != nil {
		t.Fatal(err)
	}

	var warnings []string
	c := &Client{
		Temporal: &fakeTemporal{running: map[string]any{
			workflows.BackupID("running"): workflows.BackupResult{Name: "running", Phase: workflows.PhaseInProgress, Started: t0.Add(time.Hour)},
			workflows.RestoreID("now"):    workflows.RestoreResult{Name: "now", Phase: workflows.PhaseInProgress, Started: t0.Add(time.Hour)},
		}},
		Locations: dirLocations{dirs: map[string]string{"a": dirA, "b": dirB}, broken: []string{"c"}},
		Warn:      func(err error) { warnings = append(warnings, err.Error()) },
	}

	list, err := c.ListBackups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range list {
		names = append(names, r.Name+"="+r.Phase+"@"+r.StorageLocation)
	}
	if want := []string{"running=InProgress@", "old=PartiallyFailed@a", "older=PartiallyFailed@b"}; !slices.Equal(names, want) {
		t.Errorf("backups %v, want %v", names, want)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "backup storage location c: secret missing") {
		t.Errorf("warnings %q", warnings)
	}

	old, err := c.DescribeBackup(ctx, "old")
	if err != nil {
		t.Fatal(err)
	}
	if old.Phase != workflows.PhasePartiallyFailed || old.Items != 9 || old.Errors != 1 || old.Warnings != 2 ||
		!old.Started.Equal(t0) || !old.Completed.Equal(t0.Add(3*time.Second)) || old.StorageLocation != "a" ||
		old.Spec.LabelSelector != "app=nginx" || old.TTL != 720*time.Hour || old.SnapshotID != "abc123" ||
		len(old.PodVolumeBackups) != 1 || old.PodVolumeBackups[0].SnapshotID != "feed" {
		t.Errorf("described %+v", old)
	}
	if _, err := c.DescribeBackup(ctx, "never"); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "could not read c") {
		t.Errorf("a backup nowhere: %v", err)
	}
	if log, err := c.BackupLog(ctx, "", "older"); err != nil || string(log) != "log of older\n" {
		t.Errorf("log %q, %v", log, err)
	}

	restores, err := c.ListRestores(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names = nil
	for _, r := range restores {
		names = append(names, r.Name+"="+r.Phase+"@"+r.StorageLocation)
	}
	if want := []string{"now=InProgress@", "old-restore=Completed@b", "legacy=Failed@a"}; !slices.Equal(names, want) {
		t.Errorf("restores %v, want %v", names, want)
	}
	r, err := c.DescribeRestore(ctx, "old-restore")
	if err != nil || r.BackupName != "older" || r.Created != 4 || r.Total != 5 || r.Spec.NamespaceMappings["a"] != "b" || !r.Started.Equal(t0) {
		t.Errorf("restore %+v, %v", r, err)
	}
	if r, err := c.DescribeRestore(ctx, "legacy"); err != nil || r.FailureReason != "the apiserver went away" {
		t.Errorf("legacy restore %+v, %v", r, err)
	}
	if log, err := c.RestoreLog(ctx, "b", "old-restore"); err != nil || string(log) != "restore log\n" {
		t.Errorf("restore log %q, %v", log, err)
	}

	// Without the locations, only Temporal's answer.
	c.Locations = nil
	if _, err := c.DescribeBackup(ctx, "old"); !errors.Is(err, ErrNotFound) {
		t.Errorf("without locations: %v", err)
	}
}
