package worker

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
)

// healthCacheTTL is how long one answer of Temporal's health check serves
// /healthz, so that frequent probes do not each call Temporal.
const healthCacheTTL = 2 * time.Second

// healthTimeout bounds one health check of Temporal.
const healthTimeout = 3 * time.Second

// temporalHealth answers /healthz: 200 while Temporal answers the
// process's client, 503 with the reason while it does not (the worker
// then polls nothing, so a liveness or readiness probe should see it).
type temporalHealth struct {
	c client.Client

	mu      sync.Mutex
	checked time.Time
	err     error
}

func (h *temporalHealth) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h.check(r.Context()); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "unhealthy: Temporal does not answer: %v\n", err)
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

func (h *temporalHealth) check(ctx context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.checked.IsZero() && time.Since(h.checked) < healthCacheTTL {
		return h.err
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	_, h.err = h.c.CheckHealth(ctx, &client.CheckHealthRequest{})
	h.checked = time.Now()
	return h.err
}
