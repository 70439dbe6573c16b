package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/types/known/durationpb"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/worker/buildinfo"
	"github.com/cairn-backup/cairn/worker/searchattrs"
	"github.com/cairn-backup/cairn/workflows"
)

// TestFreshTemporalNamespace runs `cairn server`'s worker on a Temporal
// namespace made as Temporal's Helm chart or `temporal operator namespace
// create` makes one, with none of Cairn's search attributes: the worker
// registers them, and a backup and a restore through the CLI complete.
func TestFreshTemporalNamespace(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	bed := testbed.ForTest(t)
	store := bed.InstallCairn(t, ctx, "cairn-fresh", "cairn-fresh")
	c := dialTemporal(t, bed)
	tns := registerNamespace(t, ctx, c, "fresh")
	want := searchattrs.Types(workflows.SearchAttributes)
	eventually(t, ctx, "the new namespace answers", func() error {
		missing, err := searchattrs.Missing(ctx, c.OperatorService(), tns, want)
		if err == nil && len(missing) != len(want) {
			t.Fatalf("the new namespace has some of Cairn's search attributes already: %d missing of %d", len(missing), len(want))
		}
		return err
	})
	t.Setenv(worker.NamespaceEnv, tns)

	testbed.RunWorker(t, ctx, func(ctx context.Context, ready func(string)) error {
		return worker.Run(ctx, worker.Config{
			TemporalNamespace: tns, Kube: bed.RESTConfig, Locations: activities.KubeLocations{Store: store},
			GCFrequency: -1, LocationValidationFrequency: -1, RepoMaintenanceFrequency: -1,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ready: ready,
		})
	})
	if missing, err := searchattrs.Missing(ctx, c.OperatorService(), tns, want); err != nil || len(missing) != 0 {
		t.Fatalf("after the worker started: missing %v (%v)", missing, err)
	}

	createApp(t, ctx, bed, "fresh-app")
	cairn(t, ctx, 0, "backup", "create", "fresh-backup", "--include-namespaces", "fresh-app", "--wait")
	deleteNamespace(t, ctx, bed, "fresh-app")
	cairn(t, ctx, 0, "restore", "create", "fresh-restore", "--from-backup", "fresh-backup", "--wait")
	cm, err := bed.Kube.CoreV1().ConfigMaps("fresh-app").Get(ctx, "settings", metav1.GetOptions{})
	if err != nil || cm.Data["mode"] != "test" {
		t.Fatalf("restored ConfigMap %v, %v", cm, err)
	}
	assertSummaries(t, ctx, bed, tns)
	// cairn version names this worker's build among the pollers.
	if out := cairn(t, ctx, 0, "version"); !strings.Contains(out, "Client:\n\tVersion: ") ||
		!strings.Contains(out, "@"+buildinfo.ServerKind+"/"+buildinfo.Get().Version) {
		t.Errorf("cairn version:\n%s", out)
	}
	if list := backups(t, ctx); len(list) != 1 || list[0].Name != "fresh-backup" || list[0].Phase != workflows.PhaseCompleted {
		t.Errorf("backup get in the fresh namespace: %+v", list)
	}
}

// assertSummaries wants the backup's workflow and its resource activity
// to carry the summaries the Temporal UI shows.
func assertSummaries(t *testing.T, ctx context.Context, bed *testbed.Bed, tns string) {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: bed.Temporal.HostPort(), Namespace: tns})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	desc, err := c.DescribeWorkflowExecution(ctx, workflows.BackupID("fresh-backup"), "")
	if err != nil {
		t.Fatal(err)
	}
	var summary string
	_ = converter.GetDefaultDataConverter().FromPayload(desc.GetExecutionConfig().GetUserMetadata().GetSummary(), &summary)
	if want := "Backup fresh-backup: namespaces fresh-app, ttl 720h0m0s, to location (default)"; summary != want {
		t.Errorf("workflow summary %q, want %q", summary, want)
	}
	var details string
	_ = converter.GetDefaultDataConverter().FromPayload(desc.GetExecutionConfig().GetUserMetadata().GetDetails(), &details)
	for _, want := range []string{"**Backup** `fresh-backup`", "| Namespaces | fresh-app |", "| TTL | 720h0m0s |", "cairn backup describe fresh-backup --details"} {
		if !strings.Contains(details, want) {
			t.Errorf("workflow details lack %q:\n%s", want, details)
		}
	}
	var activities []string
	iter := c.GetWorkflowHistory(ctx, workflows.BackupID("fresh-backup"), "", false, 0)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		if ev.GetActivityTaskScheduledEventAttributes() != nil {
			var s string
			_ = converter.GetDefaultDataConverter().FromPayload(ev.GetUserMetadata().GetSummary(), &s)
			activities = append(activities, s)
		}
	}
	if !slices.Contains(activities, "back up the resources of fresh-backup to location default") {
		t.Errorf("activity summaries %q", activities)
	}
	// The README's kind of query: this week's backups in given phases.
	query := fmt.Sprintf("CairnKind = 'backup' AND CairnPhase IN ('Completed', 'PartiallyFailed') AND StartTime > '%s'",
		time.Now().Add(-7*24*time.Hour).UTC().Format(time.RFC3339))
	eventually(t, ctx, "visibility answers the README's query", func() error {
		list, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: tns, Query: query})
		if err != nil {
			return err
		}
		if n := len(list.GetExecutions()); n != 1 {
			return fmt.Errorf("%s: %d executions", query, n)
		}
		return nil
	})
}

// registerNamespace registers a new Temporal namespace named after prefix
// and the time, as `temporal operator namespace create` does.
func registerNamespace(t *testing.T, ctx context.Context, c client.Client, prefix string) string {
	t.Helper()
	ns := prefix + "-" + time.Now().Format("150405")
	if _, err := c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: ns, WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour),
	}); err != nil {
		t.Fatal(err)
	}
	return ns
}
