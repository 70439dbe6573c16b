package archiver

import (
	"runtime"
	"time"

	"github.com/cairn-backup/cairn/repo"
)

// DefaultReadConcurrency is the number of files read and chunked at once,
// restic's default.
const DefaultReadConcurrency = 2

// Options tune Backup. The zero value backs up with restic's defaults and
// no parent.
type Options struct {
	// Hostname goes into the snapshot (default: this host).
	Hostname string
	// Tags go into the snapshot.
	Tags []string
	// Excludes are restic --exclude patterns; see Excludes for the
	// supported syntax. Matching entries are not backed up.
	Excludes []string
	// Parent is the parent snapshot (an id, a unique id prefix or
	// "latest"). Empty means no parent: every file is read.
	Parent string
	// ParentPath, with Parent and a single target, is the path in the
	// parent snapshot of what the target was then, for a target that
	// moved: a pod volume's folder changes with its pod's UID. The target
	// is compared with the parent's node at ParentPath instead of the one
	// at its own path (absent there: the target has no parent). Empty
	// means the target's own path.
	ParentPath string
	// Time is the snapshot's time (default: when Backup starts).
	Time time.Time
	// IgnoreCtime and IgnoreInode drop the ctime and inode comparisons from
	// the unchanged-file check against the parent (restic's
	// --ignore-ctime and --ignore-inode).
	IgnoreCtime, IgnoreInode bool
	// ReadConcurrency is the number of files read and chunked in parallel
	// (default 2).
	ReadConcurrency int
	// OnProgress, if set, is called about every ProgressInterval and once
	// at the end, from a single goroutine.
	OnProgress func(Progress)
	// ProgressInterval defaults to 200 ms.
	ProgressInterval time.Duration
	// OnWarning, if set, is called for every file or directory that could
	// not be backed up (it is left out of the snapshot); calls may come
	// from several goroutines at once.
	OnWarning func(path string, err error)
	// Resume is the checkpoint an interrupted attempt reported. If the
	// repository was opened before that attempt wrote some of its index
	// files, Backup reloads the index so their blobs are reused. Without
	// it, a repository opened after the interruption reuses them anyway.
	Resume *repo.Checkpoint
	// ProgramVersion goes into the snapshot (default "cairn <module
	// version> compiled with <go version> on <os>/<arch>").
	ProgramVersion string
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.ReadConcurrency <= 0 {
		o.ReadConcurrency = DefaultReadConcurrency
	}
	if o.ProgressInterval <= 0 {
		o.ProgressInterval = 200 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ProgramVersion == "" {
		o.ProgramVersion = programVersion()
	}
	return o
}

// savers is the number of goroutines hashing and saving chunks of large
// files.
func savers() int { return max(2, runtime.GOMAXPROCS(0)) }
