package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// LocationValidatorID is the workflow ID of the one LocationValidator of a
// Temporal namespace's Cairn; the worker starts it (see
// worker.EnsureLocationValidator).
const LocationValidatorID = "cairn-location-validator"

// LocationValidatorFrequencySignal is the signal that sets a running
// LocationValidator's frequency (a time.Duration); a worker sends it at
// start with its --location-validation-frequency.
const LocationValidatorFrequencySignal = "frequency"

// LocationValidatorRun is how long one LocationValidator execution runs
// before it continues as new, so that the Temporal UI lists one execution
// an hour, not one a validation.
const LocationValidatorRun = time.Hour

// locationValidatorMaxEvents continues a run as new early when a short
// frequency has made its history long.
const locationValidatorMaxEvents = 5000

// LocationValidatorInput configures a LocationValidator.
type LocationValidatorInput struct {
	// Frequency is the time between two validations: at least a second.
	Frequency time.Duration
}

// LocationValidator validates every backup storage location every
// Frequency, as ValidateLocations does once, in one long-running
// execution: a timer between validations, a signal to change the
// frequency, and continue-as-new every LocationValidatorRun. A failed
// validation is logged and the next one comes at the next tick.
func LocationValidator(ctx workflow.Context, in LocationValidatorInput) error {
	if in.Frequency < time.Second {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("location validation frequency %v: use at least 1s", in.Frequency), "InvalidInput", nil)
	}
	_ = workflow.UpsertTypedSearchAttributes(ctx, AttrKind.ValueSet(KindValidateLocations))
	frequency, start := in.Frequency, workflow.Now(ctx)
	signals := workflow.GetSignalChannel(ctx, LocationValidatorFrequencySignal)
	for {
		if _, err := validateLocationsOnce(ctx); err != nil {
			workflow.GetLogger(ctx).Warn("validating the backup storage locations", "error", err)
		}
		frequency = waitForNextValidation(ctx, signals, frequency)
		info := workflow.GetInfo(ctx)
		if workflow.Now(ctx).Sub(start) >= LocationValidatorRun || info.GetContinueAsNewSuggested() ||
			info.GetCurrentHistoryLength() > locationValidatorMaxEvents {
			frequency = drainFrequencySignals(ctx, signals, frequency)
			return workflow.NewContinueAsNewError(ctx, LocationValidator, LocationValidatorInput{Frequency: frequency})
		}
	}
}

// waitForNextValidation waits frequency, or less when a signal brings a
// different frequency (then the next validation starts at once), and
// returns the frequency to go on with.
func waitForNextValidation(ctx workflow.Context, signals workflow.ReceiveChannel, frequency time.Duration) time.Duration {
	tctx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	timer := workflow.NewTimer(tctx, frequency)
	for fired, changed := false, false; !fired && !changed; {
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(timer, func(workflow.Future) { fired = true })
		sel.AddReceive(signals, func(c workflow.ReceiveChannel, _ bool) {
			next := receiveFrequency(ctx, c, frequency)
			changed, frequency = next != frequency, next
		})
		sel.Select(ctx)
	}
	return frequency
}

// drainFrequencySignals takes the signals that came in since the last
// wait, which continue-as-new would otherwise lose.
func drainFrequencySignals(ctx workflow.Context, signals workflow.ReceiveChannel, frequency time.Duration) time.Duration {
	for {
		var next time.Duration
		if !signals.ReceiveAsync(&next) {
			return frequency
		}
		if next >= time.Second {
			frequency = next
		}
	}
}

// receiveFrequency takes one frequency signal; one under a second is
// ignored, with a warning.
func receiveFrequency(ctx workflow.Context, c workflow.ReceiveChannel, frequency time.Duration) time.Duration {
	var next time.Duration
	c.Receive(ctx, &next)
	if next < time.Second {
		workflow.GetLogger(ctx).Warn("ignoring a location validation frequency under 1s", "frequency", next)
		return frequency
	}
	return next
}
