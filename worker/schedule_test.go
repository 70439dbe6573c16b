package worker

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
)

func TestRetryTransient(t *testing.T) {
	ctx := context.Background()
	calls := 0
	err := retryTransient(ctx, time.Minute, time.Millisecond, func() error {
		calls++
		switch calls {
		case 1:
			return fmt.Errorf("updating: %w", serviceerror.NewUnavailable("Not enough hosts to serve the request"))
		case 2:
			return fmt.Errorf("updating: %w", context.DeadlineExceeded)
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("after %d calls: %v", calls, err)
	}

	calls = 0
	bad := serviceerror.NewInvalidArgument("bad spec")
	if err := retryTransient(ctx, time.Minute, time.Millisecond, func() error { calls++; return bad }); !errors.Is(err, bad) || calls != 1 {
		t.Fatalf("a permanent error was retried: %d calls, %v", calls, err)
	}

	calls = 0
	start := time.Now()
	err = retryTransient(ctx, 50*time.Millisecond, 10*time.Millisecond, func() error {
		calls++
		return serviceerror.NewUnavailable("down")
	})
	if err == nil || calls < 2 || time.Since(start) > 5*time.Second {
		t.Fatalf("retrying until the timeout: %d calls in %v, %v", calls, time.Since(start), err)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	calls = 0
	if err := retryTransient(cctx, time.Minute, time.Millisecond, func() error { calls++; return serviceerror.NewUnavailable("down") }); err == nil || calls != 1 {
		t.Fatalf("retried after the context ended: %d calls, %v", calls, err)
	}
}
