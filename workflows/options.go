package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

// validateOptions run a validation: quick, retried a few times for
// transient failures, never for invalid input.
func validateOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        30 * time.Second,
			MaximumAttempts:        5,
			NonRetryableErrorTypes: []string{activities.ErrTypeInvalid},
		},
	})
}

// workOptions run a long, heartbeating backup or restore step.
func workOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 6 * time.Hour,
		HeartbeatTimeout:    6 * activities.HeartbeatInterval,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        5 * time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        time.Minute,
			MaximumAttempts:        3,
			NonRetryableErrorTypes: []string{activities.ErrTypeInvalid},
		},
	})
}

// failure ends a workflow whose backup or restore failed: the error's
// type is the phase and its details the result, so that a client reads
// both from the workflow's failure.
func failure(phase, reason string, result any) error {
	return temporal.NewNonRetryableApplicationError(reason, phase, nil, result)
}
