package kubesim

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
)

// queue runs sync for object keys (namespace/name), one at a time, retrying
// failures with backoff.
type queue struct {
	ctx  context.Context
	log  *slog.Logger
	kind string
	q    workqueue.TypedRateLimitingInterface[string]
	sync func(ctx context.Context, key string) error
}

func newQueue(ctx context.Context, log *slog.Logger, kind string, sync func(context.Context, string) error) *queue {
	q := workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]())
	go func() {
		<-ctx.Done()
		q.ShutDown()
	}()
	return &queue{ctx: ctx, log: log, kind: kind, q: q, sync: sync}
}

func (q *queue) addObject(obj any) {
	key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(obj)
	if err == nil {
		q.q.Add(key)
	}
}

func (q *queue) addAll(store cache.Store) {
	for _, key := range store.ListKeys() {
		q.q.Add(key)
	}
}

func (q *queue) run() {
	for {
		key, shutdown := q.q.Get()
		if shutdown {
			return
		}
		err := q.sync(q.ctx, key)
		var wait *waitError
		if errors.As(err, &wait) {
			q.q.Forget(key)
			q.q.AddAfter(key, wait.after)
		} else if err != nil {
			if q.ctx.Err() == nil {
				q.log.Debug("kubesim: retrying", "kind", q.kind, "key", key, "err", err)
			}
			q.q.AddRateLimited(key)
		} else {
			q.q.Forget(key)
		}
		q.q.Done(key)
	}
}

// waitError asks the queue to sync the key again after a fixed delay, for
// waits that are not failures (an init container waiting for its data).
type waitError struct {
	after time.Duration
	msg   string
}

func (e *waitError) Error() string { return e.msg }
