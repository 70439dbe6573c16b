package archiver

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/internal/chunker"
)

// fileJob is a file to read: node idx of dir.
type fileJob struct {
	dir     *dirState
	idx     int
	path    string
	hadPrev bool // the parent snapshot has a node of that name
}

// file completes node i of ds: from the parent's node if the file is
// unchanged, otherwise by queueing it for a reader.
func (a *archiver) file(ds *dirState, i int, path string, pn *repo.Node) {
	n := &ds.nodes[i]
	if pn != nil && !a.changed(n, pn) && a.allBlobsKnown(pn.Content) {
		n.Content = pn.Content
		a.st.filesUnmodified.Add(1)
		a.st.filesDone.Add(1)
		a.st.bytesDone.Add(n.Size)
		a.st.bytesProcessed.Add(n.Size)
		a.dirDone(ds)
		return
	}
	j := &fileJob{dir: ds, idx: i, path: path, hadPrev: pn != nil}
	select {
	case a.jobs <- j:
	case <-a.ctx.Done():
		ds.skip[i] = true
		a.dirDone(ds)
	}
}

// changed is restic's test of a file against its node in the parent.
func (a *archiver) changed(n, pn *repo.Node) bool {
	switch {
	case pn.Type != repo.NodeTypeFile, pn.Size != n.Size, !pn.ModTime.Equal(n.ModTime):
		return true
	case !a.opts.IgnoreCtime && !pn.ChangeTime.Equal(n.ChangeTime):
		return true
	case !a.opts.IgnoreInode && pn.Inode != n.Inode:
		return true
	}
	return false
}

func (a *archiver) allBlobsKnown(ids []repo.ID) bool {
	for _, id := range ids {
		if _, ok := a.repo.BlobSize(repo.DataBlob, id); !ok {
			return false
		}
	}
	return true
}

// reader reads and chunks queued files until the queue closes.
func (a *archiver) reader() {
	r := &reader{ch: chunker.New(nil, a.pol)}
	for j := range a.jobs {
		if a.ctx.Err() != nil {
			j.dir.skip[j.idx] = true
			a.dirDone(j.dir)
			continue
		}
		a.readFile(j, r)
	}
}

// reader is one reader goroutine's state: its chunker, and a buffer for
// files below the chunker's minimum size (saved in the reader's goroutine,
// so they need none of the shared chunk buffers).
type reader struct {
	ch    *chunker.Chunker
	small []byte
}

// testHookOpen, if set, runs before a file is opened (tests).
var testHookOpen func(path string)

// openFile opens a regular file for reading without following symlinks
// and, where permitted, without updating its atime.
func openFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NOATIME, 0)
	if errors.Is(err, syscall.EPERM) {
		f, err = os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	}
	return f, err
}

// readFile reads one file: small files are saved as one blob here, larger
// ones are chunked and their chunks handed to the savers.
func (a *archiver) readFile(j *fileJob, r *reader) {
	if testHookOpen != nil {
		testHookOpen(j.path)
	}
	f, err := openFile(j.path)
	if err != nil {
		a.fileFailed(j, err)
		return
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("not a regular file any more")
	}
	if err != nil {
		f.Close()
		a.fileFailed(j, err)
		return
	}
	n := &j.dir.nodes[j.idx]
	if fresh, err := a.newNode(n.Name, j.path, fi); err == nil {
		*n = fresh // describe what is read, not what was listed
	}
	fs := &fileState{job: j}
	fs.pending.Store(1)
	if n.Size < chunker.MinSize {
		fs.content = make([]repo.ID, 0, 1)
		a.readSmall(fs, f, int(n.Size), r)
	} else {
		fs.content = make([]repo.ID, n.Size/chunker.MinSize+1)
		a.chunk(fs, f, int64(n.Size), r.ch)
	}
	f.Close()
	fs.release(a, nil, nil)
}

// fileFailed leaves out a file that could not be opened.
func (a *archiver) fileFailed(j *fileJob, err error) {
	a.warn(j.path, err)
	j.dir.skip[j.idx] = true
	a.dirDone(j.dir)
}

// readSmall saves a file below the chunker's minimum size: one blob.
func (a *archiver) readSmall(fs *fileState, f *os.File, size int, r *reader) {
	if size == 0 {
		return
	}
	if cap(r.small) < size {
		r.small = make([]byte, max(size, min(2*cap(r.small), chunker.MinSize)))
	}
	data := r.small[:size]
	got, err := io.ReadFull(f, data)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		fs.setErr(nil, err)
		return
	}
	data = data[:got] // the file shrank: back up what is there
	fs.read = int64(got)
	a.st.bytesDone.Add(uint64(got))
	if got == 0 {
		return
	}
	id := repo.ID(sha256.Sum256(data))
	if _, _, err := a.repo.SaveBlob(a.ctx, repo.DataBlob, data, &id); err != nil {
		fs.setErr(err, nil)
		return
	}
	fs.content = append(fs.content, id)
	fs.n = 1
}

// chunk cuts the file's first size bytes into chunks and queues them.
func (a *archiver) chunk(fs *fileState, f *os.File, size int64, ch *chunker.Chunker) {
	ch.Reset(io.LimitReader(f, size), a.pol)
	for {
		buf, err := a.bufs.get(a.ctx)
		if err != nil {
			fs.setErr(err, nil)
			return
		}
		c, err := ch.Next(*buf) // read and cut in place
		if err != nil {
			a.bufs.put(buf)
			if err != io.EOF {
				fs.setErr(nil, err)
			}
			return
		}
		*buf = c.Data
		fs.pending.Add(1)
		a.blobs <- blobJob{buf: buf, file: fs, idx: fs.n}
		fs.n++
		fs.read += int64(len(c.Data))
		a.st.bytesDone.Add(uint64(len(c.Data)))
	}
}

// fileState tracks a file's chunks until all are saved.
type fileState struct {
	job     *fileJob
	content []repo.ID // one slot per chunk, filled by the savers
	n       int       // chunks cut
	read    int64
	pending atomic.Int64 // chunks being saved, plus one for the reader

	mu      sync.Mutex
	fatal   error // repository error or cancellation
	readErr error // the file could not be read
}

func (fs *fileState) setErr(fatal, readErr error) {
	fs.mu.Lock()
	if fatal != nil && fs.fatal == nil {
		fs.fatal = fatal
	}
	if readErr != nil && fs.readErr == nil {
		fs.readErr = readErr
	}
	fs.mu.Unlock()
}

// release drops a reference (the reader's, or a queued chunk's) and
// finishes the file after the last one.
func (fs *fileState) release(a *archiver, fatal, readErr error) {
	fs.setErr(fatal, readErr)
	if fs.pending.Add(-1) == 0 {
		a.fileDone(fs)
	}
}
