package testbed

import (
	"context"
	"testing"
)

// RunWorker runs a worker or node agent, fn, until the test ends: it
// returns once fn calls ready (with the address of its metrics, if any),
// and at the end of the test cancels fn's context, waits for it and fails
// the test if it returned an error. A worker that stops before it is ready
// fails the test at once.
func RunWorker(t testing.TB, ctx context.Context, fn func(ctx context.Context, ready func(addr string)) error) string {
	t.Helper()
	wctx, stop := context.WithCancel(ctx)
	ready := make(chan string, 1)
	done := make(chan struct{})
	var err error
	go func() {
		defer close(done)
		err = fn(wctx, func(a string) { ready <- a })
	}()
	t.Cleanup(func() {
		stop()
		<-done
		if err != nil {
			t.Errorf("worker: %v", err)
		}
	})
	select {
	case addr := <-ready:
		return addr
	case <-done:
		t.Fatalf("worker stopped before it was ready: %v", err)
	}
	return ""
}
