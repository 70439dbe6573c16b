package repo

import (
	"context"
	"sync"

	"github.com/cairn-backup/cairn/repo/backend"
)

// treePackCacheSize bounds the bytes of tree packs a Repository keeps.
const treePackCacheSize = 32 << 20

// treePacks keeps whole tree packs in memory once one of their blobs is
// read, as restic keeps them in its local cache: walking a snapshot loads
// many small trees that sit together in few packs, and one read per pack
// replaces one request per tree (what matters on S3). Packs are kept
// sealed; each blob is copied out before it is opened. The oldest packs go
// first once the cache is full; a pack larger than the cache is not kept.
type treePacks struct {
	mu    sync.Mutex
	size  int
	order []ID
	packs map[ID]*cachedPack
}

type cachedPack struct {
	once sync.Once
	data []byte
	err  error
}

// get returns the sealed bytes of tree pack id, loading it once.
func (c *treePacks) get(ctx context.Context, be backend.Backend, id ID) ([]byte, error) {
	c.mu.Lock()
	if c.packs == nil {
		c.packs = map[ID]*cachedPack{}
	}
	p, ok := c.packs[id]
	if !ok {
		p = &cachedPack{}
		c.packs[id] = p
	}
	c.mu.Unlock()
	p.once.Do(func() {
		p.data, p.err = backend.LoadAll(ctx, be, packHandle(id))
		c.mu.Lock()
		defer c.mu.Unlock()
		if p.err != nil || len(p.data) > treePackCacheSize {
			delete(c.packs, id) // not kept: a later call loads it again
			return
		}
		c.size += len(p.data)
		c.order = append(c.order, id)
		for c.size > treePackCacheSize && len(c.order) > 1 {
			old := c.order[0]
			c.order = c.order[1:]
			if op, ok := c.packs[old]; ok {
				c.size -= len(op.data)
				delete(c.packs, old)
			}
		}
	})
	return p.data, p.err
}
