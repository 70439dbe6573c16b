package restorer

import (
	"bytes"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// write puts a verified blob at each of its places.
func (w *worker) write(b *blobRef, plain []byte) error {
	for _, t := range b.targets {
		if err := w.rs.writeAt(t.file, t.off, plain); err != nil {
			return fmt.Errorf("restoring %s: %w", t.file.path, err)
		}
	}
	return nil
}

// writeAt writes data at off into f's temporary file, creating it on
// first use, and finishes f after its last blob.
func (rs *restorer) writeAt(f *file, off int64, data []byte) error {
	fh, err := rs.open(f)
	if err != nil {
		return err
	}
	if rs.opts.Sparse {
		err = writeSparse(fh, data, off)
	} else {
		_, err = fh.WriteAt(data, off)
	}
	if err != nil {
		return err
	}
	rs.bytesDone.Add(uint64(len(data)))
	if f.pending.Add(-1) == 0 {
		return rs.finish(f)
	}
	return nil
}

// open returns f's temporary file, creating it and setting its size once.
func (rs *restorer) open(f *file) (*os.File, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.f != nil {
		return f.f, nil
	}
	fh, err := os.OpenFile(f.tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if !rs.opts.Preallocate || rs.opts.Sparse || unix.Fallocate(int(fh.Fd()), 0, 0, f.size) != nil {
		err = fh.Truncate(f.size)
	}
	if err != nil {
		_ = fh.Close()
		_ = os.Remove(f.tmp)
		return nil, err
	}
	f.f = fh
	return fh, nil
}

// finish closes f's temporary file, sets its metadata and renames it into
// place.
func (rs *restorer) finish(f *file) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err := f.f.Close()
	f.f = nil
	if err == nil {
		err = rs.restoreMeta(f.tmp, f.node)
	}
	if err == nil {
		if err = replace(f.path); err == nil {
			err = os.Rename(f.tmp, f.path)
		}
	}
	if err != nil {
		_ = os.Remove(f.tmp)
		return err
	}
	f.done = true
	rs.filesDone.Add(1)
	rs.mu.Lock()
	rs.res.Files++
	rs.mu.Unlock()
	return nil
}

// holeBlock is the granularity of holes in sparse mode.
const holeBlock = 4096

var zeroBlock [holeBlock]byte

// writeSparse writes data at off but skips the file's holeBlock-aligned
// blocks that are all zero, leaving holes (the file was truncated to its
// size, not allocated).
func writeSparse(fh *os.File, data []byte, off int64) error {
	run := -1 // start of the pending non-zero run
	for i := 0; i < len(data); {
		end := min(len(data), i+holeBlock-int((off+int64(i))%holeBlock))
		zero := bytes.Equal(data[i:end], zeroBlock[:end-i])
		switch {
		case zero && run >= 0:
			if _, err := fh.WriteAt(data[run:i], off+int64(run)); err != nil {
				return err
			}
			run = -1
		case !zero && run < 0:
			run = i
		}
		i = end
	}
	if run >= 0 {
		_, err := fh.WriteAt(data[run:], off+int64(run))
		return err
	}
	return nil
}
