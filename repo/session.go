package repo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/crypto"
	"github.com/cairn-backup/cairn/repo/internal/index"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// indexMaxBlobs makes a session write an index file early once this many
// uploaded blobs are not yet in one, as restic does.
const indexMaxBlobs = 50000

// finalIndexTimeout bounds the index write after a cancellation.
const finalIndexTimeout = time.Minute

// packer is one pack being filled.
type packer struct {
	mu sync.Mutex
	w  *pack.Writer // nil when empty
}

// session is one write session: packers filling up, uploads in flight and
// uploaded packs not yet listed in an index file. It starts with the first
// SaveBlob and ends with Flush, a cancellation of its context, a failed
// upload or Close.
type session struct {
	r        *Repository
	ctx      context.Context
	stop     func() bool // unregisters the cancellation hook
	packers  [2][]*packer
	bufs     *packBufs
	queue    chan *pack.Finished
	inflight sync.WaitGroup // packs queued or uploading
	workers  sync.WaitGroup
	quit     chan struct{}
	indexMu  sync.Mutex // serialises index writes

	mu            sync.Mutex
	pending       map[BlobHandle]struct{} // saved, not yet indexed
	err           error                   // first failure
	uploaded      []index.Pack            // uploaded, not yet in an index file
	uploadedBlobs int

	finishOnce sync.Once
	done       chan struct{}
	finalErr   error // the failure and the final index write's error
	indexErr   error // the final index write's error
}

// session returns the current write session, starting one bound to ctx if
// there is none.
func (r *Repository) session(ctx context.Context) *session {
	return r.sessionWith(ctx, packersPerType())
}

// sessionWith is session with dataPackers data packers for a new session.
func (r *Repository) sessionWith(ctx context.Context, dataPackers int) *session {
	r.sessMu.Lock()
	defer r.sessMu.Unlock()
	if r.sess != nil {
		return r.sess
	}
	s := &session{
		r: r, ctx: ctx, queue: make(chan *pack.Finished), quit: make(chan struct{}),
		pending: make(map[BlobHandle]struct{}), done: make(chan struct{}),
	}
	s.packers[DataBlob] = []*packer{{}}
	for range dataPackers - 1 {
		s.packers[DataBlob] = append(s.packers[DataBlob], &packer{})
	}
	s.packers[TreeBlob] = []*packer{{}}
	s.bufs = newPackBufs(len(s.packers[DataBlob])+packUploadBufs, r.opts.PackSize)
	for range r.opts.Connections {
		s.workers.Go(s.uploadLoop)
	}
	s.workers.Go(s.indexLoop)
	s.stop = context.AfterFunc(ctx, func() {
		s.fail(context.Cause(ctx))
		s.finish(ctx)
	})
	r.sess = s
	return s
}

// reserve marks h as being saved. It returns false if the blob is already
// known (indexed or pending) and an error if the session has failed.
func (s *session) reserve(h BlobHandle) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return false, s.err
	}
	if _, ok := s.pending[h]; ok {
		return false, nil
	}
	if s.r.index().Has(pack.BlobType(h.Type), h.ID) {
		return false, nil
	}
	s.pending[h] = struct{}{}
	return true, nil
}

func (s *session) unreserve(h BlobHandle) {
	s.mu.Lock()
	delete(s.pending, h)
	s.mu.Unlock()
}

func (s *session) isPending(h BlobHandle) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.pending[h]
	return ok
}

func (s *session) fail(err error) {
	if err == nil {
		err = context.Canceled
	}
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
}

func (s *session) failure() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// pick returns a locked packer for t, preferring one that is free; blobs
// spread over the packers at random (restic's mitigation against inferring
// chunk boundaries from pack contents).
func (s *session) pick(t BlobType) *packer {
	ps := s.packers[t]
	start := rand.IntN(len(ps))
	for i := range ps {
		if p := ps[(start+i)%len(ps)]; p.mu.TryLock() {
			return p
		}
	}
	p := ps[start]
	p.mu.Lock()
	return p
}

// packUploadBufs is how many data pack buffers a session has beyond one
// per data packer: packs finished and waiting for, or in, an upload. None
// keeps a backup of 2 GiB as fast as one or two (the savers, not the
// uploads, are the bottleneck with the local backend: while one packer's
// pack uploads, the savers fill the other) and its peak RSS 16 MiB lower
// per buffer. Tree packs are small (and rare next to data packs) and are not counted:
// their buffers grow as needed.
const packUploadBufs = 0

// add encodes (compresses) and seals a blob into a packer and queues the
// pack once it is full; it returns the blob's stored length. bound is the
// most bytes enc can append. A pack the blob could take past the target
// size is queued first (unless it is empty), so packs, and the memory they
// take, stay within the target, and the blob is compressed straight into
// the pack's buffer. The pack is queued before waiting for a new buffer: a
// saver never holds a finished pack while it waits, so the bounded buffers
// cannot deadlock.
func (s *session) add(ctx context.Context, h BlobHandle, enc encoder, bound int) (int, error) {
	return s.put(ctx, h, bound, func(w *pack.Writer) (int, error) {
		return w.AddEncoded(pack.BlobType(h.Type), h.ID, enc)
	})
}

// put is add for a blob that write appends to a pack writer: encoded
// (add) or copied as it is stored (repack).
func (s *session) put(ctx context.Context, h BlobHandle, bound int, write func(*pack.Writer) (int, error)) (int, error) {
	target := s.r.opts.PackSize
	for {
		p := s.pick(h.Type)
		if p.w != nil && p.w.Size()+bound+crypto.Extension+pack.CompressedEntrySize > target {
			full, err := p.w.Finalize()
			p.w = nil
			p.mu.Unlock()
			if err != nil {
				s.fail(err)
				return 0, err
			}
			if err := s.enqueue(ctx, full); err != nil {
				return 0, err
			}
			continue
		}
		if p.w == nil {
			var buf []byte
			if h.Type == DataBlob {
				var err error
				if buf, err = s.bufs.get(ctx, s.ctx); err != nil {
					p.mu.Unlock()
					s.fail(err)
					return 0, err
				}
			}
			p.w = pack.NewWriter(s.r.key, buf)
		}
		stored, err := write(p.w)
		if err != nil {
			p.mu.Unlock()
			return 0, err
		}
		var full *pack.Finished
		if p.w.Size() >= target {
			full, err = p.w.Finalize()
			p.w = nil
		}
		p.mu.Unlock()
		if err != nil {
			s.fail(err)
			return 0, err
		}
		if full != nil {
			return stored, s.enqueue(ctx, full)
		}
		return stored, nil
	}
}

// enqueue hands a finished pack to an upload worker, waiting for a free
// one: this bounds the packs held in memory.
func (s *session) enqueue(ctx context.Context, f *pack.Finished) error {
	s.inflight.Add(1)
	select {
	case s.queue <- f:
		return nil
	case <-ctx.Done():
		s.fail(context.Cause(ctx))
	case <-s.ctx.Done():
		s.fail(context.Cause(s.ctx))
	}
	s.inflight.Done()
	s.release(f)
	return s.failure()
}

// release recycles the buffer of a data pack that is uploaded or dropped.
func (s *session) release(f *pack.Finished) {
	if len(f.Entries) > 0 && f.Entries[0].Type == pack.DataBlob {
		s.bufs.put(f.Data)
	}
}

func (s *session) uploadLoop() {
	for {
		select {
		case f := <-s.queue:
			s.upload(f)
			s.inflight.Done()
		case <-s.quit:
			return
		}
	}
}

func (s *session) upload(f *pack.Finished) {
	defer s.release(f)
	if s.failure() != nil {
		return
	}
	h := backend.Handle{Type: backend.PackFile, Name: ID(f.ID).String()}
	if err := s.r.be.Save(s.ctx, h, f.Data); err != nil {
		s.fail(fmt.Errorf("uploading %v: %w", h, err))
		return
	}
	s.r.index().AddPack(f.ID, f.Entries)
	s.mu.Lock()
	for _, e := range f.Entries {
		delete(s.pending, BlobHandle{Type: BlobType(e.Type), ID: e.ID})
	}
	s.uploaded = append(s.uploaded, index.Pack{ID: f.ID, Blobs: f.Entries})
	s.uploadedBlobs += len(f.Entries)
	early := s.uploadedBlobs >= indexMaxBlobs
	s.mu.Unlock()
	s.r.sessMu.Lock()
	s.r.cp.PacksUploaded++
	s.r.cp.BytesUploaded += int64(len(f.Data))
	s.r.sessMu.Unlock()
	if early {
		if err := s.writeIndex(s.ctx); err != nil {
			s.fail(err)
		}
	}
}

// indexLoop writes an index file every IndexInterval while packs are being
// uploaded. A failed periodic write is retried at the next tick; Flush
// reports errors.
func (s *session) indexLoop() {
	t := time.NewTicker(s.r.opts.IndexInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			_ = s.writeIndex(s.ctx)
		case <-s.quit:
			return
		}
	}
}

// writeIndex saves an index file for the packs uploaded since the last one.
func (s *session) writeIndex(ctx context.Context) error {
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	s.mu.Lock()
	packs := s.uploaded
	s.uploaded, s.uploadedBlobs = nil, 0
	s.mu.Unlock()
	if len(packs) == 0 {
		return nil
	}
	id, err := s.r.saveIndexFile(ctx, &index.File{Packs: packs})
	if err != nil {
		s.mu.Lock()
		s.uploaded = append(packs, s.uploaded...)
		for _, p := range packs {
			s.uploadedBlobs += len(p.Blobs)
		}
		s.mu.Unlock()
		return err
	}
	s.r.sessMu.Lock()
	s.r.cp.Time = s.r.opts.Now()
	s.r.cp.IndexIDs = append(s.r.cp.IndexIDs, id)
	s.r.cp.PacksIndexed += len(packs)
	s.r.sessMu.Unlock()
	if fn := s.r.opts.OnCheckpoint; fn != nil {
		fn(s.r.Checkpoint())
	}
	return nil
}

// finish ends the session once: it waits for queued uploads, writes the
// index for the packs uploaded, stops the workers and detaches the session
// from the repository. Blobs still in packers are dropped; Flush queues
// them first. If ctx is done the index is written with a fresh deadline.
func (s *session) finish(ctx context.Context) {
	s.finishOnce.Do(func() {
		s.inflight.Wait()
		if ctx.Err() != nil {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), finalIndexTimeout)
			defer cancel()
		}
		idxErr := s.writeIndex(ctx)
		s.indexErr = idxErr
		close(s.quit)
		s.workers.Wait()
		s.stop()
		for _, ps := range s.packers {
			for _, p := range ps {
				p.mu.Lock()
				p.w = nil
				p.mu.Unlock()
			}
		}
		s.finalErr = errors.Join(s.failure(), idxErr)
		s.r.sessMu.Lock()
		if s.r.sess == s {
			s.r.sess = nil
		}
		if s.finalErr != nil && s.r.sessErr == nil {
			s.r.sessErr = s.finalErr
		}
		s.r.sessMu.Unlock()
		close(s.done)
	})
}

// abort fails the session and finishes it.
func (s *session) abort(err error) {
	s.fail(err)
	s.finish(context.Background())
}

// wait blocks until the session has finished and returns its error.
func (s *session) wait() error {
	<-s.done
	return s.finalErr
}

// saveIndexFile encodes and stores one index file.
func (r *Repository) saveIndexFile(ctx context.Context, f *index.File) (ID, error) {
	plain, err := f.Encode()
	if err != nil {
		return ID{}, fmt.Errorf("encoding index: %w", err)
	}
	return r.saveUnpacked(ctx, backend.IndexFile, plain)
}
