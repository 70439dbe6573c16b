package archiver

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/cairn-backup/cairn/repo"
)

// streamer is one BackupStream run. It runs on an archiver for its chunk
// buffers, counters, failure handling, progress reports and snapshot
// document; the stream is its only file.
type streamer struct {
	a     *archiver
	name  string
	jobs  chan streamJob
	ids   streamIDs     // the file's content, filled by the savers
	blobs atomic.Uint64 // chunks read
}

func newStreamer(r *repo.Repository, opts StreamOptions) *streamer {
	ao := opts.archiverOptions()
	a := &archiver{repo: r, opts: ao, pol: r.Config().ChunkerPolynomial, names: newNames(), start: ao.Now()}
	if a.opts.Time.IsZero() {
		a.opts.Time = a.start // the snapshot's time is the node's
	}
	s := &streamer{a: a, name: opts.Filename}
	a.opts.OnProgress = s.progressFunc(opts.OnProgress)
	return s
}

// streamSavers is how many chunks of a stream are hashed, compressed and
// encrypted at once: one keeps up with a stream that comes through the
// network (over 150 MiB/s on one core) and holds one chunk buffer fewer
// per saver than the file archiver's.
const streamSavers = 1

// run reads and saves the stream, saves the root tree and flushes.
func (s *streamer) run(ctx context.Context, src io.Reader) error {
	a := s.a
	a.ctx, a.cancel = context.WithCancelCause(ctx)
	defer a.cancel(nil)
	a.repo.BeginSequentialWrites(a.ctx) // one stream: one data pack in memory
	a.bufs = newBufPool(streamSavers + 1)
	s.jobs = make(chan streamJob)

	stopProgress, progressDone := make(chan struct{}), make(chan struct{})
	go a.reportProgress(stopProgress, progressDone)
	var saving sync.WaitGroup
	for range streamSavers {
		saving.Go(s.saver)
	}
	s.read(src)
	close(s.jobs)
	saving.Wait()

	err := a.failure()
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = s.saveRoot()
	}
	// Flush even after a failure, as Backup does: it ends the write
	// session and makes what was saved durable for the next attempt.
	flushErr := a.repo.Flush(a.ctx)
	close(stopProgress)
	<-progressDone
	if err != nil {
		return fmt.Errorf("backup of stream %s: %w", s.name, err)
	}
	if flushErr != nil {
		return fmt.Errorf("backup of stream %s: %w", s.name, flushErr)
	}
	return nil
}
