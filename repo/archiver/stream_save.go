package archiver

import (
	"crypto/sha256"

	"github.com/cairn-backup/cairn/repo"
)

// streamJob is a chunk of the stream for a saver, and the content slot its
// id goes into.
type streamJob struct {
	buf *[]byte
	id  *repo.ID
}

// saver hashes and saves queued chunks until the queue closes. After the
// first failure it only returns the buffers.
func (s *streamer) saver() {
	a := s.a
	for j := range s.jobs {
		if a.ctx.Err() == nil {
			data := *j.buf
			*j.id = repo.ID(sha256.Sum256(data))
			if _, _, err := a.repo.SaveBlob(a.ctx, repo.DataBlob, data, j.id); err != nil {
				a.fail(err)
			}
		}
		a.bufs.put(j.buf)
	}
}
