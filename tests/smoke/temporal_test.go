package smoke

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/workflows"
)

func greet(ctx context.Context, name string) (string, error) {
	activity.RecordHeartbeat(ctx, "greeting")
	return "hello " + name, nil
}

func greetWorkflow(ctx workflow.Context, name string) (string, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Second})
	var out string
	err := workflow.ExecuteActivity(ctx, greet, name).Get(ctx, &out)
	return out, err
}

// TestTemporal runs a workflow with an activity on the embedded server, and
// checks that Cairn's search attributes are registered.
func TestTemporal(t *testing.T) {
	bed := testbed.ForTest(t)
	ctx := context.Background()
	c, err := client.Dial(client.Options{HostPort: bed.Temporal.HostPort(), Namespace: bed.Temporal.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	w := worker.New(c, "smoke", worker.Options{})
	w.RegisterWorkflow(greetWorkflow)
	w.RegisterActivity(greet)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "smoke/greet", TaskQueue: "smoke"}, greetWorkflow, "cairn")
	if err != nil {
		t.Fatal(err)
	}
	var out string
	if err := run.Get(ctx, &out); err != nil || out != "hello cairn" {
		t.Fatalf("workflow returned %q, %v", out, err)
	}
	attrs, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: bed.Temporal.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range workflows.SearchAttributes {
		if _, ok := attrs.GetCustomAttributes()[k.GetName()]; !ok {
			t.Errorf("search attribute %s is not registered", k.GetName())
		}
	}
	if bed.Temporal.UIURL() != "" {
		resp, err := http.Get(bed.Temporal.UIURL())
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("the Temporal UI at %s: %v %v", bed.Temporal.UIURL(), resp, err)
		}
		resp.Body.Close()
	}
	fmt.Println("temporal smoke: workflow", run.GetID(), "completed")
}
