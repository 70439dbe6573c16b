package archiver

import (
	"time"

	"github.com/cairn-backup/cairn/repo"
)

// Progress is a backup's state, reported through Options.OnProgress.
// Totals come from a concurrent scan and grow until ScanDone.
type Progress struct {
	Elapsed    time.Duration
	FilesDone  uint64 // files finished (read, or unchanged since the parent)
	DirsDone   uint64
	BytesDone  uint64 // bytes of finished and partly read files
	TotalFiles uint64
	TotalDirs  uint64
	TotalBytes uint64
	ScanDone   bool
	Warnings   uint64
	// BytesPerSecond is BytesDone over Elapsed.
	BytesPerSecond float64
	// Checkpoint is the repository's durable state, for a heartbeat.
	Checkpoint repo.Checkpoint
}

// Result describes a finished backup.
type Result struct {
	// Snapshot is the saved snapshot (with its Summary); SnapshotID its id.
	Snapshot   *repo.Snapshot
	SnapshotID repo.ID
	// Warnings counts the files and directories left out (see
	// Options.OnWarning).
	Warnings int
	// FilesRead counts files whose content was read (the others were
	// unchanged since the parent).
	FilesRead int
}
