package repo

import (
	"context"
	"sync"
)

// treeWalk hands out the trees reachable from some roots to workers, each
// tree once. Pending trees form a stack, so the walk goes depth first: the
// archiver writes a folder's trees together, and reading them together
// keeps the tree-pack cache's hits high.
type treeWalk struct {
	wg    sync.WaitGroup
	mu    sync.Mutex
	cond  *sync.Cond
	seen  map[ID]struct{}
	stack []ID
	busy  int // trees handed out and not yet done
}

func newTreeWalk(roots []ID) *treeWalk {
	w := &treeWalk{seen: make(map[ID]struct{})}
	w.cond = sync.NewCond(&w.mu)
	w.push(roots)
	return w
}

// push adds the trees not seen before; the caller holds mu.
func (w *treeWalk) push(ids []ID) {
	for i := len(ids) - 1; i >= 0; i-- { // the first on top
		if _, ok := w.seen[ids[i]]; !ok {
			w.seen[ids[i]] = struct{}{}
			w.stack = append(w.stack, ids[i])
		}
	}
}

// next waits for a tree to check; ok is false once the walk is over (or
// ctx ended).
func (w *treeWalk) next(ctx context.Context) (id ID, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(w.stack) == 0 && w.busy > 0 && ctx.Err() == nil {
		w.cond.Wait()
	}
	if len(w.stack) == 0 || ctx.Err() != nil {
		w.cond.Broadcast()
		return ID{}, false
	}
	id = w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	w.busy++
	return id, true
}

// done ends the work on a tree, adding its subtrees.
func (w *treeWalk) done(subtrees []ID) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.busy--
	w.push(subtrees)
	w.cond.Broadcast()
}
