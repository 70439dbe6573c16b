package restorer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/walker"
)

// restorer is the state of one Restore call.
type restorer struct {
	repo    Repository
	opts    Options
	sel     selector
	runID   string
	asRoot  bool
	started time.Time

	// built by plan
	files       []*file
	dirs        []dir
	links       []link
	packs       []*packJob
	blobs       map[repo.ID]*blobRef
	packIdx     map[repo.ID]*packJob
	inodes      map[inodeKey]*file
	emptyInodes map[inodeKey]string

	filesDone, filesTotal atomic.Uint64
	bytesDone, bytesTotal atomic.Uint64
	planned               atomic.Bool

	mu  sync.Mutex
	res Result // counts are written by plan and finish; Warnings under mu
}

// Restore writes snapshot sn (or the part Options select) under
// opts.Target; see the package documentation for what it restores and
// how. It returns what it restored; on failure, the error names the file
// (and, for bad data, the pack) concerned.
func Restore(ctx context.Context, r Repository, sn *repo.Snapshot, opts Options) (*Result, error) {
	if opts.Target == "" {
		return nil, errors.New("restoring: no target folder given")
	}
	if sn == nil || sn.Tree == nil {
		return nil, errors.New("restoring: the snapshot has no tree")
	}
	target, err := filepath.Abs(opts.Target)
	if err != nil {
		return nil, fmt.Errorf("restoring to %s: %w", opts.Target, err)
	}
	opts.Target = target
	if opts.Connections <= 0 {
		opts.Connections = DefaultConnections
		if h, ok := r.Backend().(backend.ConnectionHinter); ok {
			opts.Connections = max(1, h.Connections())
		}
	}
	if opts.ProgressInterval <= 0 {
		opts.ProgressInterval = DefaultProgressInterval
	}
	root := *sn.Tree
	if sub := walker.Clean(opts.Subtree); sub != "/" {
		n, err := walker.Find(ctx, r, root, sub)
		if err != nil {
			return nil, fmt.Errorf("restoring %s: %w", sub, err)
		}
		if n.Type != repo.NodeTypeDir || n.Subtree == nil {
			return nil, fmt.Errorf("restoring %s: it is a %s, not a directory", sub, n.Type)
		}
		root = *n.Subtree
	}
	rs := &restorer{
		repo: r, opts: opts, sel: newSelector(opts.Include),
		runID: randomID(), asRoot: os.Geteuid() == 0, started: time.Now(),
	}
	stop := rs.startProgress()
	err = rs.run(ctx, root)
	stop()
	if err != nil {
		return nil, err
	}
	rs.res.Progress = rs.progress()
	return &rs.res, nil
}

func (rs *restorer) run(ctx context.Context, root repo.ID) error {
	if err := rs.plan(ctx, root); err != nil {
		return err
	}
	rs.planned.Store(true)
	if err := rs.restorePacks(ctx); err != nil {
		rs.cleanup()
		return err
	}
	for _, l := range rs.links {
		if err := replace(l.path); err != nil {
			return fmt.Errorf("restoring hard link %s: %w", l.path, err)
		}
		if err := os.Link(l.to.path, l.path); err != nil {
			return fmt.Errorf("restoring hard link %s: %w", l.path, err)
		}
		rs.res.Hardlinks++
		rs.filesDone.Add(1)
	}
	for i := len(rs.dirs) - 1; i >= 0; i-- {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := rs.dirs[i]
		if err := rs.restoreMeta(d.path, d.node); err != nil {
			return fmt.Errorf("restoring metadata of %s: %w", d.path, err)
		}
	}
	return nil
}

// cleanup closes and removes the temporary files of unfinished files.
func (rs *restorer) cleanup() {
	for _, f := range rs.files {
		f.mu.Lock()
		if f.f != nil && !f.done {
			_ = f.f.Close()
			_ = os.Remove(f.tmp)
			f.f = nil
		}
		f.mu.Unlock()
	}
}

func (rs *restorer) warn(err error) {
	rs.mu.Lock()
	rs.res.Warnings = append(rs.res.Warnings, err)
	rs.mu.Unlock()
}

func randomID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
