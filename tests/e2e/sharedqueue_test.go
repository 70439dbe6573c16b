package e2e

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/workflows"
)

// TestRefuseAnotherClustersQueue: a `cairn server` does not start on a
// task queue that the server of another cluster (another kube-system UID)
// polls, and says how to separate them, since it would run that
// cluster's backups against its own.
func TestRefuseAnotherClustersQueue(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bed := testbed.ForTest(t)
	store := bed.InstallCairn(t, ctx, "cairn-shared", "cairn-shared")
	tns := registerNamespace(t, ctx, dialTemporal(t, bed), "shared")
	other := pollAsAnotherCluster(t, ctx, bed, tns)
	err := worker.Run(ctx, worker.Config{
		TemporalNamespace: tns, Kube: bed.RESTConfig, Locations: activities.KubeLocations{Store: store},
		GCFrequency: -1, LocationValidationFrequency: -1, RepoMaintenanceFrequency: -1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Ready:  func(string) { t.Error("the server started beside another cluster's") },
	})
	if err == nil || !strings.Contains(err.Error(), "another cluster") || !strings.Contains(err.Error(), other) ||
		!strings.Contains(err.Error(), "--temporal-namespace") || !strings.Contains(err.Error(), "--cluster-name") {
		t.Fatalf("worker.Run: %v", err)
	}
}

// pollAsAnotherCluster polls Cairn's task queue of Temporal namespace ns
// as the server of another cluster would, until the test ends, and
// returns once Temporal lists it; it returns that cluster's UID.
func pollAsAnotherCluster(t *testing.T, ctx context.Context, bed *testbed.Bed, ns string) string {
	t.Helper()
	const uid = "6d1f0c2e-another-cluster"
	c, err := client.Dial(client.Options{HostPort: bed.Temporal.HostPort(), Namespace: ns,
		Logger: tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))})
	if err != nil {
		t.Fatal(err)
	}
	w := sdkworker.New(c, workflows.TaskQueue, sdkworker.Options{Identity: "77@elsewhere@cairn-server/v0.2.0/" + uid})
	w.RegisterWorkflowWithOptions(func(workflow.Context) error { return nil }, workflow.RegisterOptions{Name: "Noop"})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Stop(); c.Close() })
	eventually(t, ctx, "Temporal lists the other cluster's poller", func() error {
		resp, err := c.DescribeTaskQueue(ctx, workflows.TaskQueue, enumspb.TASK_QUEUE_TYPE_WORKFLOW)
		if err == nil && len(resp.GetPollers()) == 0 {
			return errors.New("no poller yet")
		}
		return err
	})
	return uid
}
