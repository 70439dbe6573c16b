package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/workflows"
)

// TestLocationValidation runs a worker that validates every location each
// second in its one long-running validator workflow: a location whose S3
// endpoint is wrong turns Unavailable with the reason, and Available again
// once its endpoint is fixed, all in one workflow execution. `backup-location
// set` still works while the validation keeps writing the status.
func TestLocationValidation(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	bed := testbed.ForTest(t)
	ns := "cairn-bsl-validation"
	t.Setenv("KUBECONFIG", bed.Kubeconfig)
	t.Setenv(locations.NamespaceEnv, ns)
	t.Setenv(worker.AddressEnv, bed.Temporal.HostPort())
	t.Setenv(worker.NamespaceEnv, bed.Temporal.Namespace())
	if _, err := bed.Kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	store := locations.NewStore(bed.Kube, ns)
	if _, err := store.Create(ctx, locations.Location{
		Name: "flaky",
		Spec: locations.Spec{
			Provider: locations.ProviderAWS, Bucket: bed.S3.Bucket, Prefix: ns, Default: true,
			Config: map[string]string{locations.ConfigS3URL: "http://127.0.0.1:1", locations.ConfigRegion: bed.S3.Region, locations.ConfigS3ForcePathStyle: "true"},
		},
		CredentialsFile: locations.Sensitive(bed.S3.CredentialsFile()),
	}); err != nil {
		t.Fatal(err)
	}

	wctx, stop := context.WithCancel(ctx)
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- worker.Run(wctx, worker.Config{
			TemporalAddress: bed.Temporal.HostPort(), TemporalNamespace: bed.Temporal.Namespace(),
			Kube: bed.RESTConfig, Locations: activities.KubeLocations{Store: store},
			GCFrequency: -1, LocationValidationFrequency: time.Second,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Ready:  func(string) { close(ready) },
		})
	}()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
		// Leave the validator to the next worker to start, at its own frequency.
		c, err := client.Dial(client.Options{HostPort: bed.Temporal.HostPort(), Namespace: bed.Temporal.Namespace()})
		if err == nil {
			_ = c.TerminateWorkflow(context.Background(), workflows.LocationValidatorID, "", "the test is over")
			c.Close()
		}
	})
	select {
	case <-ready:
	case err := <-done:
		done <- err // for the cleanup
		t.Fatalf("worker: %v", err)
	}

	var unavailable locations.Status
	eventually(t, ctx, "the location turns Unavailable", func() error {
		loc, err := store.Get(ctx, "flaky")
		if err != nil {
			return err
		}
		unavailable = loc.Status
		if loc.Status.Phase != locations.Unavailable || loc.Status.LastValidationTime.IsZero() || !strings.Contains(loc.Status.Message, "127.0.0.1:1") {
			return fmt.Errorf("status %+v", loc.Status)
		}
		return nil
	})
	t.Logf("unavailable: %s", unavailable.Message)
	if out := cairn(t, ctx, 0, "backup-location", "get", "flaky"); !strings.Contains(out, "Unavailable") {
		t.Errorf("backup-location get:\n%s", out)
	}

	// Fix the endpoint, leaving the status to the validation.
	for {
		loc, err := store.Get(ctx, "flaky")
		if err != nil {
			t.Fatal(err)
		}
		loc.Spec.Config[locations.ConfigS3URL] = bed.S3.URL
		if _, err = store.Update(ctx, loc); err == nil {
			break
		}
		if !errors.Is(err, locations.ErrChanged) {
			t.Fatal(err)
		}
	}
	eventually(t, ctx, "the location turns Available", func() error {
		loc, err := store.Get(ctx, "flaky")
		if err != nil {
			return err
		}
		if loc.Status.Phase != locations.Available || !loc.Status.LastValidationTime.After(unavailable.LastValidationTime) {
			return fmt.Errorf("status %+v", loc.Status)
		}
		return nil
	})

	// The CLI's read-change-write retries over the validation's writes.
	for range 3 {
		cairn(t, ctx, 0, "backup-location", "set", "flaky", "--access-mode", "ReadOnly")
		cairn(t, ctx, 0, "backup-location", "set", "flaky", "--access-mode", "ReadWrite")
	}
	assertOneValidatorExecution(t, ctx, bed)
}

// assertOneValidatorExecution wants every validation so far done by one
// workflow execution, with no schedule starting more.
func assertOneValidatorExecution(t *testing.T, ctx context.Context, bed *testbed.Bed) {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: bed.Temporal.HostPort(), Namespace: bed.Temporal.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.ScheduleClient().GetHandle(ctx, workflows.ValidateLocationsScheduleID).Describe(ctx); err == nil {
		t.Errorf("the per-minute schedule %s still exists", workflows.ValidateLocationsScheduleID)
	}
	desc, err := c.DescribeWorkflowExecution(ctx, workflows.LocationValidatorID, "")
	if err != nil {
		t.Fatal(err)
	}
	info := desc.GetWorkflowExecutionInfo()
	if info.GetStatus().String() != "Running" || info.GetHistoryLength() < 20 {
		t.Errorf("validator %s: %s with %d events", workflows.LocationValidatorID, info.GetStatus(), info.GetHistoryLength())
	}
	eventually(t, ctx, "visibility lists one validator execution", func() error {
		list, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: bed.Temporal.Namespace(), Query: fmt.Sprintf("WorkflowId = '%s'", workflows.LocationValidatorID),
		})
		if err != nil {
			return err
		}
		if n := len(list.GetExecutions()); n != 1 {
			return fmt.Errorf("%d executions", n)
		}
		return nil
	})
}
