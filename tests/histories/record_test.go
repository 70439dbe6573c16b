package histories

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"google.golang.org/protobuf/encoding/protojson"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/workflows"
)

// RecordEnv turns the recording on.
const RecordEnv = "CAIRN_RECORD_HISTORIES"

// HistoriesDir is where the histories go, from the module's root.
const HistoriesDir = "workflows/testdata/histories"

const (
	cairnNS  = "cairn-histories"
	appNS    = "hist-app"
	schedule = "hist-sched"
)

// TestRecordHistories runs each workflow for real, with pod volumes through
// in-process node agents, and writes its history as JSON (protojson of a
// history.v1.History, as `temporal workflow show --output json` prints it):
//
//	backup-pod-volume.json         a backup of a namespace with a pod volume, its pod's hooks and dump
//	backup-failed-validation.json  a backup refused by its validation
//	restore-pod-volume.json        the restore of that backup, volume, exec hook and load included
//	scheduled-backup.json          a schedule's action and its child backup
//	expire.json                    a garbage collection that deletes an expired backup
//	delete.json                    `cairn backup delete` of the first backup
func TestRecordHistories(t *testing.T) {
	if os.Getenv(RecordEnv) != "1" {
		t.Skip("set " + RecordEnv + "=1 (make record-histories) to record the histories of workflows/testdata/histories")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	root, err := testbed.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(root, HistoriesDir)
	bed := testbed.ForTest(t)
	store := setUp(t, ctx, bed)
	c, err := client.Dial(client.Options{HostPort: bed.Temporal.HostPort(), Namespace: bed.Temporal.Namespace(),
		Logger: quietSDK()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sc := &starter.Client{Temporal: c, Locations: activities.KubeLocations{Store: store}}
	export := func(file, workflowID string) { exportHistory(t, ctx, c, workflowID, filepath.Join(outDir, file)) }

	createApp(t, ctx, bed)
	cairn(t, ctx, "backup", "create", "hist-backup", "--include-namespaces", appNS, "--wait")
	b, err := sc.DescribeBackup(ctx, "hist-backup")
	if err != nil || b.Phase != workflows.PhaseCompleted || len(b.PodVolumeBackups) != 1 || b.PodVolumeBackups[0].Phase != workflows.PhaseCompleted ||
		len(b.Hooks) != 2 || len(b.Dumps) != 1 {
		t.Fatalf("backup: %+v %v", b, err)
	}
	export("backup-pod-volume.json", workflows.BackupID("hist-backup"))

	// A TTL the validation refuses (the CLI would refuse it first).
	if err := (&starter.Client{Temporal: c}).StartBackup(ctx, workflows.BackupInput{Name: "hist-invalid",
		Spec: activities.BackupSpec{IncludedNamespaces: []string{appNS}, TTL: "forever"}}); err != nil {
		t.Fatal(err)
	}
	if res, _ := sc.WaitBackup(ctx, "hist-invalid"); res.Phase != workflows.PhaseFailedValidation {
		t.Fatalf("invalid backup: %+v", res)
	}
	export("backup-failed-validation.json", workflows.BackupID("hist-invalid"))

	deleteNamespace(t, ctx, bed, appNS)
	cairn(t, ctx, "restore", "create", "hist-restore", "--from-backup", "hist-backup", "--wait")
	r, err := sc.DescribeRestore(ctx, "hist-restore")
	if err != nil || r.Phase != workflows.PhaseCompleted || len(r.PodVolumeRestores) != 1 || r.PodVolumeRestores[0].Phase != workflows.PhaseCompleted ||
		len(r.Hooks) != 1 || len(r.Loads) != 1 {
		t.Fatalf("restore: %+v %v", r, err)
	}
	export("restore-pod-volume.json", workflows.RestoreID("hist-restore"))

	// A schedule that would fire once a year, triggered now.
	cairn(t, ctx, "schedule", "create", schedule, "--schedule", "0 0 1 1 *", "--include-namespaces", appNS, "--paused")
	cairn(t, ctx, "schedule", "trigger", schedule)
	h := c.ScheduleClient().GetHandle(ctx, workflows.ScheduleID(schedule))
	var runID string
	for runID == "" {
		d, err := h.Describe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if acts := d.Info.RecentActions; len(acts) > 0 && acts[0].StartWorkflowResult != nil {
			runID = acts[0].StartWorkflowResult.WorkflowID
			break
		}
		sleep(t, ctx, 200*time.Millisecond)
	}
	var sb workflows.BackupResult
	if err := c.GetWorkflow(ctx, runID, "").Get(ctx, &sb); err != nil || sb.Phase != workflows.PhaseCompleted || len(sb.PodVolumeBackups) != 1 {
		t.Fatalf("scheduled backup %s: %+v %v", runID, sb, err)
	}
	export("scheduled-backup.json", runID)
	cairn(t, ctx, "schedule", "delete", schedule, "--confirm")

	// A garbage collection that finds one expired backup.
	cairn(t, ctx, "backup", "create", "hist-expiring", "--include-namespaces", appNS, "--ttl", "1s", "--wait")
	sleep(t, ctx, 2*time.Second)
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "hist-expire", TaskQueue: workflows.TaskQueue,
		WorkflowExecutionTimeout: 10 * time.Minute}, workflows.Expire, workflows.ExpireInput{})
	if err != nil {
		t.Fatal(err)
	}
	var ex workflows.ExpireResult
	if err := run.Get(ctx, &ex); err != nil || len(ex.Deleting) != 1 || ex.Deleting[0] != "hist-expiring" {
		t.Fatalf("expire: %+v %v", ex, err)
	}
	export("expire.json", "hist-expire")

	out := cairn(t, ctx, "backup", "delete", "hist-backup", "--confirm")
	if !strings.Contains(out, `Backup "hist-backup" deleted`) {
		t.Fatalf("backup delete:\n%s", out)
	}
	export("delete.json", workflows.DeleteID("hist-backup"))
	if res, err := sc.WaitDelete(ctx, "hist-expiring"); err != nil || res.Phase != workflows.PhaseCompleted {
		t.Fatalf("the expired backup's deletion: %+v %v", res, err)
	}
}

// setUp installs Cairn in its namespace with a default location on the
// bucket and runs the worker (without the garbage collection schedule,
// so that only the recorded Expire runs) and a node agent per node until
// the test ends.
func setUp(t *testing.T, ctx context.Context, bed *testbed.Bed) *locations.Store {
	t.Helper()
	store := bed.InstallCairn(t, ctx, cairnNS, cairnNS)
	locs := activities.KubeLocations{Store: store}
	testbed.RunWorker(t, ctx, func(ctx context.Context, ready func(string)) error {
		return worker.Run(ctx, worker.Config{Kube: bed.RESTConfig, Locations: locs, GCFrequency: -1, Logger: quiet(), Ready: ready})
	})
	for _, node := range bed.Nodes {
		testbed.RunWorker(t, ctx, func(ctx context.Context, ready func(string)) error {
			return worker.RunNodeAgent(ctx, worker.NodeAgentConfig{
				Temporal: worker.Config{Locations: locs, Logger: quiet(), Ready: ready},
				Node:     node, PodsDir: filepath.Join(bed.NodesDir, node, "pods"),
			})
		})
	}
	return store
}

// createApp creates the namespace to back up: a ConfigMap and a running
// pod whose emptyDir volume holds a file and is opted in to file-system
// backup.
func createApp(t *testing.T, ctx context.Context, bed *testbed.Bed) {
	t.Helper()
	kube := bed.Kube
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: appNS}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := kube.CoreV1().ConfigMaps(appNS).Create(ctx, &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "settings"}, Data: map[string]string{"mode": "history"},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "app", Labels: map[string]string{"app": "hist"},
			Annotations: map[string]string{podvolume.IncludeAnnotation: "data",
				"pre.hook.backup.velero.io/command":   `["sh", "-c", "echo frozen > /data/pre.marker"]`,
				"post.hook.backup.velero.io/command":  `["sh", "-c", "echo thawed > /data/post.marker"]`,
				"post.hook.restore.velero.io/command": `["sh", "-c", "echo restored > /data/restored.marker"]`,
				hooks.DumpCommandAnnotation:           `["echo", "a dump"]`,
				hooks.LoadCommandAnnotation:           `["cat"]`,
			}},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{testbed.IdleContainer("app", corev1.VolumeMount{Name: "data", MountPath: "/data"})},
			Volumes:    []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
		},
	}
	if _, err := kube.CoreV1().Pods(appNS).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	dir, err := bed.PodVolumeDir(ctx, appNS, "app", "data")
	if err != nil {
		t.Fatal(err)
	}
	if err := testbed.WriteFiles(dir, map[string][]byte{"data.txt": []byte("recorded\n")}); err != nil {
		t.Fatal(err)
	}
}

// exportHistory writes the full history of the workflow's latest run to
// file as indented protojson.
func exportHistory(t *testing.T, ctx context.Context, c client.Client, workflowID, file string) {
	t.Helper()
	h := &historypb.History{}
	it := c.GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: %v", workflowID, err)
		}
		h.Events = append(h.Events, ev)
	}
	data, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d events of %s", filepath.Base(file), len(h.Events), workflowID)
}

func deleteNamespace(t *testing.T, ctx context.Context, bed *testbed.Bed, ns string) {
	t.Helper()
	if err := bed.DeleteNamespace(ctx, ns); err != nil {
		t.Fatal(err)
	}
}

// cairn runs the CLI in-process and checks that it succeeds.
func cairn(t *testing.T, ctx context.Context, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Run(ctx, args, &out, &errOut); code != 0 {
		t.Fatalf("cairn %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	}
	return out.String()
}

func sleep(t *testing.T, ctx context.Context, d time.Duration) {
	t.Helper()
	select {
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	case <-time.After(d):
	}
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func quietSDK() tlog.Logger { return tlog.NewStructuredLogger(quiet()) }
