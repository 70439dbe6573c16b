package archiver

import (
	"context"
	"crypto/sha256"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/internal/chunker"
)

// blobJob is a chunk of a file for a saver.
type blobJob struct {
	buf  *[]byte
	file *fileState
	idx  int
}

// saver hashes and saves queued chunks until the queue closes.
func (a *archiver) saver() {
	for b := range a.blobs {
		var err error
		if err = a.ctx.Err(); err == nil {
			data := *b.buf
			id := repo.ID(sha256.Sum256(data))
			_, _, err = a.repo.SaveBlob(a.ctx, repo.DataBlob, data, &id)
			b.file.content[b.idx] = id
		}
		a.bufs.put(b.buf)
		b.file.release(a, err, nil)
	}
}

// fileDone puts a finished file's content into its node, or leaves the
// node out after a read error (a warning) or a fatal error.
func (a *archiver) fileDone(fs *fileState) {
	j := fs.job
	switch {
	case fs.fatal != nil:
		a.fail(fs.fatal)
		j.dir.skip[j.idx] = true
	case fs.readErr != nil:
		a.warn(j.path, fs.readErr)
		j.dir.skip[j.idx] = true
	default:
		n := &j.dir.nodes[j.idx]
		n.Content = fs.content[:fs.n]
		n.Size = uint64(fs.read)
		a.st.filesRead.Add(1)
		a.st.filesDone.Add(1)
		a.st.bytesProcessed.Add(n.Size)
		if j.hadPrev {
			a.st.filesChanged.Add(1)
		} else {
			a.st.filesNew.Add(1)
		}
	}
	a.dirDone(j.dir)
}

// bufPool hands out chunk buffers, at most a fixed number at a time, so
// readers wait for savers instead of growing memory.
type bufPool struct {
	free chan *[]byte
}

func newBufPool(n int) *bufPool {
	p := &bufPool{free: make(chan *[]byte, n)}
	for range n {
		p.free <- new([]byte)
	}
	return p
}

// get returns a buffer with room for the largest chunk.
func (p *bufPool) get(ctx context.Context) (*[]byte, error) {
	select {
	case b := <-p.free:
		if cap(*b) < chunker.MaxSize {
			*b = make([]byte, chunker.MaxSize)
		}
		*b = (*b)[:cap(*b)]
		return b, nil
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

func (p *bufPool) put(b *[]byte) { p.free <- b }
