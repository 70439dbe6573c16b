package restorer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/walker"
)

// file is a regular file with content to write.
type file struct {
	path string // final name
	tmp  string // written under this name, renamed when complete
	node *repo.Node
	size int64

	mu      sync.Mutex
	f       *os.File
	pending atomic.Int64 // blob writes still to do
	done    bool         // renamed into place; under mu
}

// target is one place a blob's plaintext goes.
type target struct {
	file *file
	off  int64
}

// blobRef is a blob to read and where it goes.
type blobRef struct {
	id      repo.ID
	loc     repo.BlobLocation
	targets []target
}

// packJob is the blobs needed from one pack.
type packJob struct {
	id    repo.ID
	blobs []*blobRef
}

// link is a hard link to create once its file is written.
type link struct {
	path string
	to   *file
}

type inodeKey struct{ inode, dev uint64 }

// dir is a restored folder whose metadata is set at the end.
type dir struct {
	path string
	node *repo.Node
}

// plan walks the tree, creates folders, empty files, symlinks and special
// files, and collects the files, hard links and packs to restore.
func (r *restorer) plan(ctx context.Context, root repo.ID) error {
	if err := os.MkdirAll(r.opts.Target, 0o700); err != nil {
		return fmt.Errorf("creating target %s: %w", r.opts.Target, err)
	}
	r.blobs = make(map[repo.ID]*blobRef)
	r.packIdx = make(map[repo.ID]*packJob)
	r.inodes = make(map[inodeKey]*file)
	r.emptyInodes = make(map[inodeKey]string)
	err := walker.Walk(ctx, r.repo, root, "/", func(p string, n *repo.Node) error {
		sel, child := r.sel.match(p)
		if !sel && !(child && n.Type == repo.NodeTypeDir) {
			return walker.SkipDir
		}
		dst := filepath.Join(r.opts.Target, filepath.FromSlash(p))
		if err := r.planNode(dst, n); err != nil {
			return fmt.Errorf("restoring %s: %w", dst, err)
		}
		return nil
	})
	r.blobs, r.packIdx = nil, nil
	return err
}

func (r *restorer) planNode(dst string, n *repo.Node) error {
	switch n.Type {
	case repo.NodeTypeDir:
		if err := mkdir(dst); err != nil {
			return err
		}
		// restic 0.18 restores the metadata of folders on the way to an
		// included path as well
		r.dirs = append(r.dirs, dir{dst, n})
		r.res.Dirs++
		return nil
	case repo.NodeTypeFile:
		return r.planFile(dst, n)
	case repo.NodeTypeSymlink:
		if err := replace(dst); err != nil {
			return err
		}
		target := n.LinkTarget
		if n.LinkTargetRaw != nil {
			target = string(n.LinkTargetRaw)
		}
		if err := os.Symlink(target, dst); err != nil {
			return err
		}
		r.res.Symlinks++
		return r.restoreMeta(dst, n)
	case repo.NodeTypeFifo, repo.NodeTypeDev, repo.NodeTypeCharDev:
		if err := replace(dst); err != nil {
			return err
		}
		if err := mknod(dst, n); err != nil {
			r.warn(fmt.Errorf("creating %s %s: %w", n.Type, dst, err))
			return nil
		}
		r.res.Special++
		return r.restoreMeta(dst, n)
	default:
		r.warn(fmt.Errorf("%s: %s entries are not restored", dst, n.Type))
		return nil
	}
}

func (r *restorer) planFile(dst string, n *repo.Node) error {
	r.filesTotal.Add(1)
	key := inodeKey{n.Inode, n.DeviceID}
	hardlink := n.Links > 1 && n.Inode != 0
	if hardlink {
		if f, ok := r.inodes[key]; ok {
			r.links = append(r.links, link{dst, f})
			return nil
		}
		if first, ok := r.emptyInodes[key]; ok {
			r.links = append(r.links, link{dst, &file{path: first, done: true}})
			return nil
		}
	}
	if len(n.Content) == 0 {
		if hardlink {
			r.emptyInodes[key] = dst
		}
		return r.writeEmpty(dst, n)
	}
	f := &file{path: dst, node: n}
	f.tmp = filepath.Join(filepath.Dir(dst), fmt.Sprintf(".cairn-restore-%s-%d", r.runID, len(r.files)))
	if hardlink {
		r.inodes[key] = f
	}
	for _, id := range n.Content {
		b, ok := r.blobs[id]
		if !ok {
			locs := r.repo.LookupBlob(repo.DataBlob, id)
			if len(locs) == 0 {
				return fmt.Errorf("data blob %v: %w in the index", id.Str(), repo.ErrNotFound)
			}
			b = &blobRef{id: id, loc: locs[0]}
			r.blobs[id] = b
			pj := r.packIdx[b.loc.Pack]
			if pj == nil {
				pj = &packJob{id: b.loc.Pack}
				r.packIdx[b.loc.Pack] = pj
				r.packs = append(r.packs, pj)
			}
			pj.blobs = append(pj.blobs, b)
		}
		b.targets = append(b.targets, target{f, f.size})
		f.size += int64(b.loc.PlaintextLength())
	}
	f.pending.Store(int64(len(n.Content)))
	r.files = append(r.files, f)
	r.bytesTotal.Add(uint64(f.size))
	return nil
}

// writeEmpty creates an empty file with its metadata.
func (r *restorer) writeEmpty(dst string, n *repo.Node) error {
	if err := replace(dst); err != nil {
		return err
	}
	fh, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := fh.Close(); err != nil {
		return err
	}
	r.res.Files++
	r.filesDone.Add(1)
	return r.restoreMeta(dst, n)
}

// mkdir creates a folder, replacing a non-folder of that name.
func mkdir(p string) error {
	err := os.Mkdir(p, 0o700)
	if !errors.Is(err, fs.ErrExist) {
		return err
	}
	fi, err := os.Lstat(p)
	if err != nil || fi.IsDir() {
		return err
	}
	if err := os.Remove(p); err != nil {
		return err
	}
	return os.Mkdir(p, 0o700)
}

// replace removes a non-folder at p so it can be created anew.
func replace(p string) error {
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("a folder is in the way")
	}
	return os.Remove(p)
}
