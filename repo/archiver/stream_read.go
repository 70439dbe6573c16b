package archiver

import (
	"context"
	"fmt"
	"io"

	"github.com/cairn-backup/cairn/repo/internal/chunker"
)

// read cuts src into chunks, in buffers from the archiver's pool, and
// queues them for the savers until src ends, reading fails or the backup
// stops. Failures are recorded with fail.
func (s *streamer) read(src io.Reader) {
	a := s.a
	ch := chunker.New(src, a.pol)
	for {
		if a.ctx.Err() != nil { // a saver failed, or ctx ended
			a.fail(context.Cause(a.ctx))
			return
		}
		buf, err := a.bufs.get(a.ctx)
		if err != nil {
			a.fail(err)
			return
		}
		c, err := ch.Next(*buf) // read and cut in place
		if err != nil {
			a.bufs.put(buf)
			if err != io.EOF {
				a.fail(fmt.Errorf("reading: %w", err))
			}
			return
		}
		*buf = c.Data
		s.jobs <- streamJob{buf: buf, id: s.ids.next()}
		s.blobs.Add(1)
		a.st.bytesDone.Add(uint64(len(c.Data)))
	}
}
