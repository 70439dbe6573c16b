package archiver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cairn-backup/cairn/repo"
)

// StreamOptions tune BackupStream.
type StreamOptions struct {
	// Filename is required: the file's name at the snapshot's root, without
	// a slash. The snapshot's path is "/"+Filename (restic's
	// --stdin-filename).
	Filename string
	// Hostname goes into the snapshot (default: this host).
	Hostname string
	// Tags go into the snapshot.
	Tags []string
	// Time is the snapshot's time and the file's mtime, ctime and atime
	// (default: when BackupStream starts).
	Time time.Time
	// ProgramVersion goes into the snapshot (default as Options').
	ProgramVersion string
	// OnProgress, if set, is called about every ProgressInterval and once
	// at the end, from a single goroutine.
	OnProgress func(StreamProgress)
	// ProgressInterval defaults to 200 ms.
	ProgressInterval time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// StreamProgress counts what was read so far.
type StreamProgress struct {
	Bytes uint64 // bytes read from the stream
	Blobs uint64 // chunks cut from them (data blobs of the file, new or not)
}

// BackupStream reads src to EOF and saves it into r as one snapshot in the
// layout of restic's `backup --stdin --stdin-filename NAME`: a root tree
// holding one regular file, opts.Filename, with mode 0644, the snapshot's
// time as mtime, ctime and atime, and the process's owner.
//
// The stream is cut with the repository's content-defined chunker, as the
// file archiver cuts files, and each chunk is saved as a data blob unless
// the repository has it already; savers hash and save chunks while the
// stream is read. Memory does not grow with the stream's size beyond the
// file's list of blob ids: chunk buffers come from a bounded pool.
//
// A read error from src or the end of ctx fails the backup without a
// snapshot (a blocked src.Read is not interrupted; close the stream to
// end it). As with Backup, the packs uploaded so far stay indexed, so a
// new attempt uploads only what is missing.
func BackupStream(ctx context.Context, r *repo.Repository, src io.Reader, opts StreamOptions) (*Result, error) {
	if err := checkStreamFilename(opts.Filename); err != nil {
		return nil, err
	}
	s := newStreamer(r, opts)
	before := r.SaveStats()
	if err := s.run(ctx, src); err != nil {
		return nil, err
	}
	sn := s.a.snapshot([]string{"/" + opts.Filename}, nil, before, r.SaveStats())
	id, err := r.SaveSnapshot(ctx, sn)
	if err != nil {
		return nil, fmt.Errorf("saving snapshot: %w", err)
	}
	return &Result{Snapshot: sn, SnapshotID: id, FilesRead: 1}, nil
}

// checkStreamFilename rejects names that cannot be a root tree's entry.
func checkStreamFilename(name string) error {
	switch {
	case name == "":
		return errors.New("archiver: BackupStream needs a Filename")
	case name == "." || name == ".." || strings.ContainsAny(name, "/\x00"):
		return fmt.Errorf("archiver: stream filename %q is not a plain file name", name)
	}
	return nil
}

// archiverOptions are the Options of the archiver a stream backup runs on.
func (o StreamOptions) archiverOptions() Options {
	return Options{
		Hostname: o.Hostname, Tags: o.Tags, Time: o.Time, ProgramVersion: o.ProgramVersion,
		ProgressInterval: o.ProgressInterval, Now: o.Now,
	}.withDefaults()
}
