package starter

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"

	"github.com/cairn-backup/cairn/workflows"
)

// ErrNoServer says that no `cairn server` polls Cairn's task queue, so a
// running backup's or restore's progress cannot be asked; what is shown
// comes from Temporal's visibility and the workflow's input.
var ErrNoServer = errors.New("no cairn server is running (none polled the cluster's task queue" +
	" in the last two minutes): running backups and restores show the phase Temporal last recorded; start `cairn server` to see their progress")

// serverRunning tells whether a `cairn server` polls, asking Temporal once
// per Client; when Temporal cannot say, it assumes one does. It warns
// through c.Warn the first time none does.
func (c *Client) serverRunning(ctx context.Context) bool {
	c.serverOnce.Do(func() {
		servers, err := c.Servers(ctx)
		c.noServer = err == nil && len(servers) == 0
		if c.noServer && c.Warn != nil {
			c.Warn(ErrNoServer)
		}
	})
	return !c.noServer
}

// fromVisibility fills res (a BackupResult or RestoreResult) with what
// Temporal knows of a running workflow without asking its worker: the
// name, phase and location its search attributes hold, its start time, and
// the spec of its input.
func (c *Client) fromVisibility(ctx context.Context, id string, d *workflowservice.DescribeWorkflowExecutionResponse, res any) error {
	info := d.GetWorkflowExecutionInfo()
	attrs := info.GetSearchAttributes().GetIndexedFields()
	state := map[string]any{
		"Name":            keyword(attrs, workflows.AttrName.GetName()),
		"Phase":           cmp.Or(keyword(attrs, workflows.AttrPhase.GetName()), workflows.PhaseNew),
		"StorageLocation": keyword(attrs, workflows.AttrStorageLocation.GetName()),
		"Started":         info.GetStartTime().AsTime(),
	}
	if spec, err := c.inputSpec(ctx, id); err == nil && spec != nil {
		state["Spec"] = spec
	}
	raw, err := json.Marshal(state)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, res)
}

// stoppedFromOutside fills res for a workflow that was terminated,
// canceled or timed out: what visibility knows, phase Failed, and why.
func (c *Client) stoppedFromOutside(ctx context.Context, id string, d *workflowservice.DescribeWorkflowExecutionResponse, res any) error {
	if err := c.fromVisibility(ctx, id, d, res); err != nil {
		return err
	}
	info := d.GetWorkflowExecutionInfo()
	raw, err := json.Marshal(map[string]any{
		"Phase":         workflows.PhaseFailed,
		"Completed":     info.GetCloseTime().AsTime(),
		"FailureReason": "the workflow was " + strings.ToLower(strings.TrimPrefix(info.GetStatus().String(), "WORKFLOW_EXECUTION_STATUS_")) + " from outside Cairn",
	})
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, res)
}

// inputSpec is the Spec of the workflow's input, from its first event.
func (c *Client) inputSpec(ctx context.Context, id string) (json.RawMessage, error) {
	it := c.Temporal.GetWorkflowHistory(ctx, c.scoped(id), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	if !it.HasNext() {
		return nil, fmt.Errorf("%s has no history", id)
	}
	ev, err := it.Next()
	if err != nil {
		return nil, err
	}
	payloads := ev.GetWorkflowExecutionStartedEventAttributes().GetInput().GetPayloads()
	if len(payloads) == 0 {
		return nil, fmt.Errorf("%s has no input", id)
	}
	var in struct{ Spec json.RawMessage }
	if err := json.Unmarshal(payloads[0].GetData(), &in); err != nil {
		return nil, err
	}
	return in.Spec, nil
}

// keyword is a keyword search attribute's value, or "".
func keyword(attrs map[string]*commonpb.Payload, name string) string {
	var v string
	if p, ok := attrs[name]; ok {
		_ = converter.GetDefaultDataConverter().FromPayload(p, &v)
	}
	return v
}
