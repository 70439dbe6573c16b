package archiver

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/internal/chunker"
)

// archiver is one Backup run.
type archiver struct {
	repo     *repo.Repository
	opts     Options
	pol      chunker.Pol
	excludes *Excludes
	names    *names
	start    time.Time

	ctx    context.Context
	cancel context.CancelCauseFunc
	jobs   chan *fileJob
	blobs  chan blobJob
	bufs   *bufPool
	st     stats

	// moved is set for Options.ParentPath; movedFrom is the parent's node
	// there (nil if it has none).
	moved     bool
	movedFrom *repo.Node

	rootID   repo.ID
	rootDone chan struct{}

	errMu sync.Mutex
	err   error
}

// Backup saves the files and directories at paths, recursively, into r as
// one snapshot and returns it. Paths are made absolute; the snapshot's
// root tree holds their components down to the targets, as restic's does.
//
// A missing path is an error before anything is saved. Entries that cannot
// be read are left out and reported through opts.OnWarning; the snapshot
// is saved anyway. Repository errors and cancellation end the backup with
// an error; the packs uploaded so far stay indexed, so a new Backup of the
// same paths uploads only what is missing.
func Backup(ctx context.Context, r *repo.Repository, paths []string, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	targets, err := cleanTargets(paths)
	if err != nil {
		return nil, err
	}
	root, err := buildTrie(targets)
	if err != nil {
		return nil, err
	}
	if opts.ParentPath != "" && (len(targets) != 1 || opts.Parent == "") {
		return nil, fmt.Errorf("archiver: ParentPath needs a Parent and exactly one backup path, got %d", len(targets))
	}
	excl, err := CompileExcludes(opts.Excludes)
	if err != nil {
		return nil, err
	}
	a := &archiver{
		repo: r, opts: opts, pol: r.Config().ChunkerPolynomial, excludes: excl,
		names: newNames(), start: opts.Now(), rootDone: make(chan struct{}),
	}
	if opts.Resume != nil && len(opts.Resume.IndexIDs) > 0 {
		if err := r.LoadIndex(ctx); err != nil {
			return nil, fmt.Errorf("reloading the index to resume: %w", err)
		}
	}
	parent, prevRoot, err := a.loadParent(ctx)
	if err != nil {
		return nil, err
	}
	before := r.SaveStats()
	if err := a.run(ctx, root, targets, prevRoot); err != nil {
		return nil, err
	}
	sn := a.snapshot(targets, parent, before, r.SaveStats())
	id, err := r.SaveSnapshot(ctx, sn)
	if err != nil {
		return nil, fmt.Errorf("saving snapshot: %w", err)
	}
	return &Result{Snapshot: sn, SnapshotID: id, Warnings: int(a.st.warnings.Load()), FilesRead: int(a.st.filesRead.Load())}, nil
}

// loadParent loads the parent snapshot and its root tree, if one is set.
func (a *archiver) loadParent(ctx context.Context) (*repo.Snapshot, *repo.Tree, error) {
	if a.opts.Parent == "" {
		return nil, nil, nil
	}
	sn, err := a.repo.FindSnapshot(ctx, a.opts.Parent)
	if err != nil {
		return nil, nil, fmt.Errorf("loading parent snapshot: %w", err)
	}
	t, err := a.repo.LoadTree(ctx, *sn.Tree)
	if err != nil {
		return nil, nil, fmt.Errorf("loading parent snapshot %v: %w", sn.ID().Str(), err)
	}
	if a.opts.ParentPath != "" {
		a.moved = true
		if a.movedFrom, err = a.nodeAt(ctx, t, a.opts.ParentPath); err != nil {
			return nil, nil, fmt.Errorf("loading %s in parent snapshot %v: %w", a.opts.ParentPath, sn.ID().Str(), err)
		}
	}
	return sn, t, nil
}

// nodeAt returns the node at the absolute path p below the root tree t, or
// nil if there is none.
func (a *archiver) nodeAt(ctx context.Context, t *repo.Tree, p string) (*repo.Node, error) {
	names := strings.Split(strings.Trim(filepath.Clean("/"+p), "/"), "/")
	if names[0] == "" { // "/": the root has no node
		return nil, nil
	}
	for i, name := range names {
		n := findNode(t, name)
		if n == nil || i == len(names)-1 {
			return n, nil
		}
		if n.Type != repo.NodeTypeDir || n.Subtree == nil {
			return nil, nil
		}
		var err error
		if t, err = a.repo.LoadTree(ctx, *n.Subtree); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// run walks the targets and saves every blob and tree, then flushes.
func (a *archiver) run(ctx context.Context, root *trieNode, targets []string, prevRoot *repo.Tree) error {
	a.ctx, a.cancel = context.WithCancelCause(ctx)
	defer a.cancel(nil)
	a.jobs = make(chan *fileJob, 256)
	a.blobs = make(chan blobJob)
	a.bufs = newBufPool(savers() + 1)

	stopProgress, progressDone := make(chan struct{}), make(chan struct{})
	go a.reportProgress(stopProgress, progressDone)
	var scanning, readers, saving sync.WaitGroup
	if a.opts.OnProgress != nil {
		scanning.Go(func() { a.scan(targets) }) // the totals are only for progress reports
	}
	for range a.opts.ReadConcurrency {
		readers.Go(a.reader)
	}
	for range savers() {
		saving.Go(a.saver)
	}

	rootDir := &dirState{path: "/"}
	if root.target {
		if a.moved { // "/" was backed up from elsewhere
			prevRoot = nil
			if n := a.movedFrom; n != nil && n.Type == repo.NodeTypeDir && n.Subtree != nil {
				t, err := a.repo.LoadTree(ctx, *n.Subtree)
				if err != nil {
					return fmt.Errorf("loading %s in the parent snapshot: %w", a.opts.ParentPath, err)
				}
				prevRoot = t
			}
		}
		a.walkDir(rootDir, a.readDir("/"), prevRoot)
	} else {
		a.walkDir(rootDir, a.trieEntries(root), prevRoot)
	}
	close(a.jobs)
	readers.Wait()
	close(a.blobs)
	saving.Wait()
	<-a.rootDone

	err := a.failure()
	if err == nil {
		err = ctx.Err()
	}
	// Flush even after a failure: it ends the write session, reporting
	// (and clearing) a cancelled session's error, and after other errors
	// makes what was saved durable for the next attempt.
	flushErr := a.repo.Flush(a.ctx)
	scanning.Wait() // the last report has the final totals (a cancelled scan stops early)
	close(stopProgress)
	<-progressDone
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if flushErr != nil {
		return fmt.Errorf("backup: %w", flushErr)
	}
	return nil
}

// trieEntries lists a trie node's children, without excluded targets.
func (a *archiver) trieEntries(n *trieNode) []entry {
	es := n.entries()
	kept := es[:0]
	for _, e := range es {
		if !e.trie.target || !a.excludes.Match(e.path) {
			kept = append(kept, e)
		}
	}
	return kept
}

// fail records the first fatal error and stops the backup.
func (a *archiver) fail(err error) {
	a.errMu.Lock()
	if a.err == nil {
		a.err = err
		a.cancel(err)
	}
	a.errMu.Unlock()
}

func (a *archiver) failure() error {
	a.errMu.Lock()
	defer a.errMu.Unlock()
	return a.err
}

// warn reports an entry left out of the snapshot.
func (a *archiver) warn(path string, err error) {
	if a.ctx != nil && a.ctx.Err() != nil {
		return // cancellation is not the entry's fault
	}
	a.st.warnings.Add(1)
	if a.opts.OnWarning != nil {
		a.opts.OnWarning(path, err)
	}
}

// snapshot builds the snapshot document for a finished backup.
func (a *archiver) snapshot(targets []string, parent *repo.Snapshot, before, after repo.SaveStats) *repo.Snapshot {
	t := a.opts.Time
	if t.IsZero() {
		t = a.start
	}
	root := a.rootID
	sn := &repo.Snapshot{
		Time: t, Tree: &root, Paths: targets, Hostname: a.opts.Hostname,
		Excludes: a.opts.Excludes, Tags: a.opts.Tags, ProgramVersion: a.opts.ProgramVersion,
		UID: uint32(os.Getuid()), GID: uint32(os.Getgid()),
	}
	if sn.Hostname == "" {
		sn.Hostname, _ = os.Hostname()
	}
	if u, err := user.Current(); err == nil {
		sn.Username = u.Username
	}
	if parent != nil {
		pid := parent.ID()
		sn.Parent = &pid
	}
	sn.Summary = &repo.SnapshotSummary{
		BackupStart:         a.start,
		BackupEnd:           a.opts.Now(),
		FilesNew:            uint(a.st.filesNew.Load()),
		FilesChanged:        uint(a.st.filesChanged.Load()),
		FilesUnmodified:     uint(a.st.filesUnmodified.Load()),
		DirsNew:             uint(a.st.dirsNew.Load()),
		DirsChanged:         uint(a.st.dirsChanged.Load()),
		DirsUnmodified:      uint(a.st.dirsUnmodified.Load()),
		DataBlobs:           after.DataBlobs - before.DataBlobs,
		TreeBlobs:           after.TreeBlobs - before.TreeBlobs,
		DataAdded:           after.DataAdded + after.TreeAdded - before.DataAdded - before.TreeAdded,
		DataAddedPacked:     after.DataAddedPacked + after.TreeAddedPacked - before.DataAddedPacked - before.TreeAddedPacked,
		TotalFilesProcessed: uint(a.st.filesDone.Load()),
		TotalBytesProcessed: a.st.bytesProcessed.Load(),
	}
	return sn
}
