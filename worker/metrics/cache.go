package metrics

import (
	"context"
	"sync"
	"time"
)

// scrapeMaxAge is how long a value asked of Temporal or Kubernetes is
// reused between scrapes; Velero recounts its objects every minute.
const scrapeMaxAge = 30 * time.Second

// scrapeTimeout bounds one question, so that a scrape never hangs.
const scrapeTimeout = 5 * time.Second

// cached holds the last value fetch returned, for scrapeMaxAge; when fetch
// fails, the last value is kept (none before the first).
type cached[T any] struct {
	fetch func(ctx context.Context) (T, error)

	mu  sync.Mutex
	at  time.Time
	val T
	ok  bool
}

func (c *cached[T]) get() (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ok && time.Since(c.at) < scrapeMaxAge {
		return c.val, true
	}
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	v, err := c.fetch(ctx)
	if err != nil {
		return c.val, c.ok
	}
	c.val, c.at, c.ok = v, time.Now(), true
	return v, true
}
