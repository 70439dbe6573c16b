package repo

import "context"

// packBufs bounds the pack buffers a write session holds at once (packs
// being filled, waiting for an uploader and uploading) and recycles them,
// so a backup's memory does not depend on how far the savers run ahead of
// the uploads. A pack is finalized before a blob would take it past the
// target, so buffers have room for the target size only (a pack of one
// blob larger than the target grows its buffer).
type packBufs struct {
	free chan []byte // holds a token (nil or a buffer) per buffer not in use
	size int         // capacity of a new buffer
}

func newPackBufs(n, packSize int) *packBufs {
	p := &packBufs{free: make(chan []byte, n), size: packSize + 64<<10}
	for range n {
		p.free <- nil
	}
	return p
}

// get waits for a buffer to be free (or one of the contexts to end).
func (p *packBufs) get(ctx, sess context.Context) ([]byte, error) {
	var b []byte
	select {
	case b = <-p.free:
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	case <-sess.Done():
		return nil, context.Cause(sess)
	}
	if b == nil {
		b = make([]byte, 0, p.size)
	}
	return b[:0], nil
}

// put returns a buffer from get; one that append has grown beyond twice
// the usual size is dropped (its token comes back as nil).
func (p *packBufs) put(b []byte) {
	if cap(b) > 2*p.size {
		b = nil
	}
	p.free <- b
}
