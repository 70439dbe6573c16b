package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/cluster"
	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/workflows"
)

// TestClustersShareANamespace runs two clusters' servers on one Temporal
// namespace: one named east, one with no name. Each backs up and restores
// its own work on task queues, workflow IDs and schedules of its own, and
// the CLI of each sees only its own cluster's backups.
func TestClustersShareANamespace(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	bed := testbed.ForTest(t)
	unnamed := bed.InstallCairn(t, ctx, "cairn-unnamed", "cairn-unnamed")
	east := bed.InstallCairn(t, ctx, "cairn-east", "cairn-east")
	tc := dialTemporal(t, bed)
	tns := registerNamespace(t, ctx, tc, "clusters")
	t.Setenv(worker.NamespaceEnv, tns)
	unnamedMetrics := runClusterServer(t, ctx, bed, tns, "", unnamed)
	eastMetrics := runClusterServer(t, ctx, bed, tns, "east", east)

	createApp(t, ctx, bed, "east-app")
	createApp(t, ctx, bed, "plain-app")
	asCluster(t, "", unnamed)
	cairn(t, ctx, 0, "backup", "create", "plain-backup", "--include-namespaces", "plain-app", "--wait")
	asCluster(t, "east", east)
	cairn(t, ctx, 0, "backup", "create", "east-backup", "--include-namespaces", "east-app", "--wait")

	c, err := client.Dial(client.Options{HostPort: bed.Temporal.HostPort(), Namespace: tns})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	assertScoped(t, ctx, c, "east/backup/east-backup", "east/cairn", "east")
	assertScoped(t, ctx, c, "backup/plain-backup", "cairn", "")
	for _, id := range []string{"east/" + workflows.GCScheduleID, workflows.GCScheduleID} {
		if _, err := c.ScheduleClient().GetHandle(ctx, id).Describe(ctx); err != nil {
			t.Errorf("schedule %s: %v", id, err)
		}
	}

	// Each CLI lists its own cluster's backup only, and knows no other.
	if list := backups(t, ctx); len(list) != 1 || list[0].Name != "east-backup" {
		t.Errorf("east lists %+v", list)
	}
	if out := cairn(t, ctx, 0, "backup", "describe", "east-backup"); !strings.Contains(out, "Completed") {
		t.Errorf("east describes its backup:\n%s", out)
	}
	cairn(t, ctx, 1, "backup", "describe", "plain-backup")
	asCluster(t, "", unnamed)
	eventually(t, ctx, "the unnamed cluster lists its backup only", func() error {
		list, err := decodeBackups(cairn(t, ctx, 0, "backup", "get", "-o", "json"))
		if err == nil && (len(list) != 1 || list[0].Name != "plain-backup") {
			t.Fatalf("the unnamed cluster lists %+v", list)
		}
		return err
	})
	cairn(t, ctx, 1, "backup", "describe", "east-backup")
	// Each server counts its own cluster's backups only.
	for addr, who := range map[string]string{unnamedMetrics: "the unnamed cluster's", eastMetrics: "east's"} {
		if n := testbed.Scrape(t, addr)["velero_backup_total"]; n != 1 {
			t.Errorf("%s server counts %v backups, want 1", who, n)
		}
	}

	// A server that starts later reads when the cluster's last backup
	// completed back from Temporal.
	later := runClusterServer(t, ctx, bed, tns, "east", east)
	eventually(t, ctx, "a new server recovers velero_backup_last_successful_timestamp", func() error {
		at := testbed.Scrape(t, later)[`velero_backup_last_successful_timestamp{schedule=""}`]
		if age := time.Since(time.Unix(int64(at), 0)); age < 0 || age > 3*time.Minute {
			return fmt.Errorf("velero_backup_last_successful_timestamp{schedule=\"\"} is %v (%v ago)", at, age)
		}
		return nil
	})

	// The flag names the cluster as the variable does, and restores in it.
	deleteNamespace(t, ctx, bed, "east-app")
	t.Setenv(locations.NamespaceEnv, "cairn-east")
	cairn(t, ctx, 0, "restore", "create", "east-restore", "--from-backup", "east-backup", "--cluster-name", "east", "--wait")
	if cm, err := bed.Kube.CoreV1().ConfigMaps("east-app").Get(ctx, "settings", metav1.GetOptions{}); err != nil || cm.Data["mode"] != "test" {
		t.Fatalf("restored ConfigMap %v, %v", cm, err)
	}
	assertScoped(t, ctx, c, "east/restore/east-restore", "east/cairn", "east")
	if out := cairn(t, ctx, 0, "version", "--cluster-name", "east"); !strings.Contains(out, "Version: ") || strings.Contains(out, "no cairn server") {
		t.Errorf("cairn version in cluster east:\n%s", out)
	}
}

// TestBadClusterName: a cluster name that cannot scope Temporal's names
// stops the CLI and the server before they start anything.
func TestBadClusterName(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	bed := testbed.ForTest(t)
	bed.InstallCairn(t, ctx, "cairn-badname", "cairn-badname")
	code, out, errOut := cairnRun(ctx, "backup", "create", "bad-name-backup", "--cluster-name", "East/1")
	if code == 0 || !strings.Contains(errOut, `cluster name "East/1" is not valid`) || strings.Contains(out, "submitted") {
		t.Errorf("backup create with a bad cluster name: exit %d\n%s%s", code, out, errOut)
	}
	t.Setenv(cluster.EnvVar, "under_score")
	code, _, errOut = cairnRun(ctx, "server")
	if code == 0 || !strings.Contains(errOut, `cluster name "under_score" is not valid`) {
		t.Errorf("server with a bad $%s: exit %d\n%s", cluster.EnvVar, code, errOut)
	}
	c := dialTemporal(t, bed)
	if err := started(ctx, c, workflows.BackupID("bad-name-backup")); !isNotFound(err) {
		t.Errorf("a backup workflow exists after the refusal: %v", err)
	}
}

// runClusterServer runs the worker of cluster name on Temporal namespace
// tns until the test ends, with hourly garbage collection so that its
// schedule is made, and returns the address of its metrics.
func runClusterServer(t *testing.T, ctx context.Context, bed *testbed.Bed, tns string, name cluster.Name, store *locations.Store) string {
	t.Helper()
	return testbed.RunWorker(t, ctx, func(ctx context.Context, ready func(string)) error {
		return worker.Run(ctx, worker.Config{
			TemporalNamespace: tns, ClusterName: name, MetricsAddress: "127.0.0.1:0", Kube: bed.RESTConfig, Locations: activities.KubeLocations{Store: store},
			GCFrequency: time.Hour, LocationValidationFrequency: -1, RepoMaintenanceFrequency: -1,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ready: ready,
		})
	})
}

// asCluster points the CLI at cluster name and the locations of store.
func asCluster(t *testing.T, name cluster.Name, store *locations.Store) {
	t.Setenv(cluster.EnvVar, string(name))
	t.Setenv(locations.NamespaceEnv, store.Namespace())
}

// assertScoped wants workflow id to have run on task queue queue and to
// carry cluster name in CairnCluster (none for the unnamed cluster).
func assertScoped(t *testing.T, ctx context.Context, c client.Client, id, queue string, name cluster.Name) {
	t.Helper()
	desc, err := c.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		t.Fatalf("workflow %s: %v", id, err)
	}
	info := desc.GetWorkflowExecutionInfo()
	if got := info.GetTaskQueue(); got != queue {
		t.Errorf("%s ran on task queue %s, want %s", id, got, queue)
	}
	var got string
	if p := info.GetSearchAttributes().GetIndexedFields()[cluster.Attr]; p != nil {
		_ = converter.GetDefaultDataConverter().FromPayload(p, &got)
	}
	if got != string(name) {
		t.Errorf("%s has %s %q, want %q", id, cluster.Attr, got, name)
	}
}
