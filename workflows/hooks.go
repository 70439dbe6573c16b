package workflows

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// hookOptions run one exec hook: bounded by its timeout (and, for a
// restore hook that waits for its container, its wait timeout, a day when
// it has none), heartbeating, retried only when the cluster could not be
// reached (a hook's own failure is a result, not an error). The summary
// names the hook in the Temporal UI.
func hookOptions(ctx workflow.Context, k hooks.Hook, wait bool) workflow.Context {
	limit := k.Timeout + time.Minute
	if wait {
		limit += cmp.Or(k.WaitTimeout, 24*time.Hour)
	}
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: limit,
		HeartbeatTimeout:    6 * activities.HeartbeatInterval,
		Summary: fmt.Sprintf("%s hook %s: %s/%s container %s: %s", k.Phase, k.Name, k.Namespace, k.Pod, k.Container,
			strings.Join(k.Command, " ")),
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        30 * time.Second,
			MaximumAttempts:        3,
			NonRetryableErrorTypes: []string{activities.ErrTypeInvalid},
		},
	})
}

// dumpOptions run one application dump or load, bounded by its timeout.
func dumpOptions(ctx workflow.Context, d hooks.Dump, what string) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: d.Timeout + 24*time.Hour,
		HeartbeatTimeout:    6 * activities.HeartbeatInterval,
		Summary:             fmt.Sprintf("%s %s: %s/%s container %s: %s", what, d.Filename, d.Namespace, d.Pod, d.Container, strings.Join(d.Command, " ")),
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        5 * time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        time.Minute,
			MaximumAttempts:        3,
			NonRetryableErrorTypes: []string{activities.ErrTypeInvalid},
		},
	})
}

// runHook runs one hook as its own activity; an activity that failed for
// good is a Failed result with the reason.
func runHook(ctx workflow.Context, k hooks.Hook, wait bool) metadata.HookResult {
	var h *activities.Hooks
	var r metadata.HookResult
	if err := workflow.ExecuteActivity(hookOptions(ctx, k, wait), h.RunHook, activities.RunHookInput{Hook: k, Wait: wait}).Get(ctx, &r); err != nil {
		r = metadata.HookResult{Name: k.Name, Phase: k.Phase, Namespace: k.Namespace, Pod: k.Pod, Container: k.Container,
			Command: k.Command, OnError: k.OnError, Status: metadata.HookFailed, Error: reason(err)}
	}
	return r
}

// runHooks runs a pod's hooks of one phase in order, one at a time, and
// appends their results to out. It stops at the first that fails with
// on-error Fail and then returns false.
func runHooks(ctx workflow.Context, hs []hooks.Hook, wait bool, out *[]metadata.HookResult) bool {
	for _, k := range hs {
		r := runHook(ctx, k, wait)
		*out = append(*out, r)
		if r.Fatal() {
			return false
		}
	}
	return true
}
