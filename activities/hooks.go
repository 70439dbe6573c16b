package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/podexec"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// Hooks holds the clients of the exec hook and application dump
// activities. They run on the control plane, which holds the right to
// exec into pods; the node agents need none.
type Hooks struct {
	Exec      *podexec.Executor
	Locations LocationResolver
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

func (h *Hooks) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// RunHook runs one exec hook in its container through the pod exec API,
// cut off at its timeout, heartbeating while it runs. How the hook ended
// is the result: a hook that cannot run (its Problem, a container that is
// not running), that exits non-zero or that times out is a Failed result,
// not an error, so it is never retried. Only a failure to reach the
// cluster is an error, which Temporal retries.
func (h *Hooks) RunHook(ctx context.Context, in RunHookInput) (res metadata.HookResult, err error) {
	k := in.Hook
	res = hookResult(k)
	start := h.now()
	defer func() { res.Duration = h.now().Sub(start) }()
	if k.Problem != "" {
		res.Error = k.Problem
		return res, nil
	}
	t := podexec.Target{Namespace: k.Namespace, Pod: k.Pod, Container: k.Container}
	msg, err := h.ready(ctx, t, in)
	if msg != "" || err != nil {
		res.Error = msg
		return res, err
	}
	ectx, cancel := context.WithTimeout(ctx, k.Timeout)
	defer cancel()
	out, err := heartbeating(ctx, "running "+k.Phase+" hook in "+t.String(), func(context.Context) (podexec.Result, error) {
		return h.Exec.Run(ectx, t, k.Command, nil, nil)
	})
	res.ExitCode, res.Stdout, res.Stderr = out.ExitCode, out.Stdout, out.Stderr
	switch {
	case err == nil && out.ExitCode == 0:
		res.Status = metadata.HookCompleted
	case err == nil:
		res.Error = fmt.Sprintf("the command exited with code %d", out.ExitCode)
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		res.Error = fmt.Sprintf("the command did not finish within its timeout of %s and was cut off", k.Timeout)
	default:
		return res, err
	}
	return res, nil
}

// ready checks that t runs, or for a restore hook waits until it does: a
// container that does not (in time) is the message of a failed hook.
func (h *Hooks) ready(ctx context.Context, t podexec.Target, in RunHookInput) (string, error) {
	if !in.Wait {
		err := h.Exec.Running(ctx, t, false)
		if nr := (*podexec.NotRunningError)(nil); errors.As(err, &nr) {
			return nr.Error() + ": the hook cannot run", nil
		}
		return "", err
	}
	wctx := ctx
	if d := in.Hook.WaitTimeout; d > 0 {
		var cancel context.CancelFunc
		wctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	err := h.Exec.WaitRunning(wctx, t, in.Hook.WaitForReady, func(state string) { activity.RecordHeartbeat(ctx, "waiting: "+state) })
	if err != nil && ctx.Err() == nil && wctx.Err() != nil {
		return fmt.Sprintf("%s did not run within the hook's wait timeout of %s: %v", t, in.Hook.WaitTimeout, err), nil
	}
	return "", err
}

// hookResult is the record of k before it runs: Failed until it completes.
func hookResult(k hooks.Hook) metadata.HookResult {
	return metadata.HookResult{Name: k.Name, Phase: k.Phase, Namespace: k.Namespace, Pod: k.Pod, Container: k.Container,
		Command: k.Command, OnError: k.OnError, Status: metadata.HookFailed}
}
