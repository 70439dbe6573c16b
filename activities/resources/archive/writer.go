package archive

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/restic/chunker"

	"github.com/cairn-backup/cairn/repo"
)

// Saver is what a Writer needs of a repository; *repo.Repository
// implements it.
type Saver interface {
	SaveBlob(ctx context.Context, t repo.BlobType, data []byte, id *repo.ID) (repo.ID, bool, error)
	SaveTree(ctx context.Context, t *repo.Tree) (repo.ID, error)
	Flush(ctx context.Context) error
	SaveSnapshot(ctx context.Context, sn *repo.Snapshot) (repo.ID, error)
	Config() repo.Config
}

// Item is one API object to store.
type Item struct {
	Resource  string // group-resource, "pods" or "deployments.apps"
	Version   string // the preferred version it was read at, "v1"
	Namespace string // "" for cluster-scoped objects
	Name      string
	Data      []byte // its JSON
}

type file struct {
	content []repo.ID
	size    uint64
}

// Writer collects files into one snapshot. Add and AddItem may be called
// from many goroutines; Finish once, after them. Only the paths and blob IDs
// stay in memory, not the content.
type Writer struct {
	// session is the backup's context: the repository binds its write
	// session (background uploads) to the context of the first SaveBlob, so
	// blobs are saved under it rather than under a caller's shorter one.
	session context.Context
	repo    Saver
	mu      sync.Mutex
	files   map[string]file
	items   int
	bytes   uint64
}

// NewWriter returns a writer into r for a backup running under ctx.
func NewWriter(ctx context.Context, r Saver) *Writer {
	return &Writer{session: ctx, repo: r, files: map[string]file{}}
}

// AddItem stores an object at its legacy path and under its preferred
// version's folder (the same blobs).
func (w *Writer) AddItem(ctx context.Context, it Item) error {
	for what, s := range map[string]string{"resource": it.Resource, "version": it.Version, "name": it.Name} {
		if err := checkElement(what, s); err != nil {
			return err
		}
	}
	if it.Namespace != "" {
		if err := checkElement("namespace", it.Namespace); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := w.save(it.Data)
	if err != nil {
		return fmt.Errorf("saving %s %s: %w", it.Resource, qualified(it.Namespace, it.Name), err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.files[ItemPath(it.Resource, it.Namespace, it.Name)] = f
	w.files[PreferredPath(it.Resource, it.Version, it.Namespace, it.Name)] = f
	w.items++
	w.bytes += f.size
	return nil
}

// AddFile stores data at path p (slash-separated, relative).
func (w *Writer) AddFile(ctx context.Context, p string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := w.save(data)
	if err != nil {
		return fmt.Errorf("saving %s: %w", p, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.files[p] = f
	return nil
}

// save stores data as data blobs: one blob up to the chunker's minimum
// size, restic's content-defined chunks above it.
func (w *Writer) save(data []byte) (file, error) {
	ctx := w.session
	f := file{content: []repo.ID{}, size: uint64(len(data))}
	if len(data) == 0 {
		return f, nil
	}
	if len(data) <= chunker.MinSize {
		id, _, err := w.repo.SaveBlob(ctx, repo.DataBlob, data, nil)
		if err != nil {
			return f, err
		}
		f.content = append(f.content, id)
		return f, nil
	}
	ch := chunker.New(bytes.NewReader(data), w.repo.Config().ChunkerPolynomial)
	buf := make([]byte, chunker.MaxSize)
	for {
		c, err := ch.Next(buf)
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			return f, err
		}
		id, _, err := w.repo.SaveBlob(ctx, repo.DataBlob, c.Data, nil)
		if err != nil {
			return f, err
		}
		f.content = append(f.content, id)
	}
}

func qualified(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}
