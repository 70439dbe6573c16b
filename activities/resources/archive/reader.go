package archive

import (
	"context"
	"fmt"
	"strings"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/walker"
)

// Loader is what a Reader needs of a repository; *repo.Repository
// implements it.
type Loader interface {
	walker.TreeLoader
	LoadBlob(ctx context.Context, t repo.BlobType, id repo.ID, buf []byte) ([]byte, error)
	LoadSnapshot(ctx context.Context, id repo.ID) (*repo.Snapshot, error)
}

// Reader reads a backup's snapshot.
type Reader struct {
	repo Loader
	sn   *repo.Snapshot
}

// ItemRef locates one stored object.
type ItemRef struct {
	Resource  string
	Namespace string
	Name      string
	Content   []repo.ID
	Size      uint64
}

// Open loads the snapshot id.
func Open(ctx context.Context, r Loader, id repo.ID) (*Reader, error) {
	sn, err := r.LoadSnapshot(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("loading snapshot %s: %w", id.Str(), err)
	}
	return &Reader{repo: r, sn: sn}, nil
}

// Snapshot returns the snapshot read.
func (r *Reader) Snapshot() *repo.Snapshot { return r.sn }

// WalkFiles calls fn for every file with its path relative to the root
// ("resources/pods/namespaces/ns/p.json"), in path order.
func (r *Reader) WalkFiles(ctx context.Context, fn func(p string, n *repo.Node) error) error {
	return walker.Walk(ctx, r.repo, *r.sn.Tree, "/", func(p string, n *repo.Node) error {
		if n.Type != repo.NodeTypeFile {
			return nil
		}
		return fn(strings.TrimPrefix(p, "/"), n)
	})
}

// Items lists the objects at their legacy paths, in path order (so by
// resource, then namespace, then name). Version folders are not read.
func (r *Reader) Items(ctx context.Context) ([]ItemRef, error) {
	var out []ItemRef
	err := walker.Walk(ctx, r.repo, *r.sn.Tree, "/", func(p string, n *repo.Node) error {
		parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
		if n.Type == repo.NodeTypeDir {
			if parts[0] != "resources" || (len(parts) == 3 && parts[2] != namespacesDir && parts[2] != clusterDir) {
				return walker.SkipDir
			}
			return nil
		}
		res, ns, name, ok := ParseItemPath(p)
		if ok && n.Type == repo.NodeTypeFile {
			out = append(out, ItemRef{Resource: res, Namespace: ns, Name: name, Content: n.Content, Size: n.Size})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing the objects of snapshot %s: %w", r.sn.ID().Str(), err)
	}
	return out, nil
}

// ReadContent returns the content of a file from its blob IDs, reusing
// buf's memory when large enough.
func (r *Reader) ReadContent(ctx context.Context, content []repo.ID, buf []byte) ([]byte, error) {
	out := buf[:0]
	var blob []byte
	for _, id := range content {
		var err error
		blob, err = r.repo.LoadBlob(ctx, repo.DataBlob, id, blob)
		if err != nil {
			return nil, err
		}
		out = append(out, blob...)
	}
	return out, nil
}

// ReadItem returns the JSON of one object.
func (r *Reader) ReadItem(ctx context.Context, it ItemRef) ([]byte, error) {
	data, err := r.ReadContent(ctx, it.Content, make([]byte, 0, it.Size))
	if err != nil {
		return nil, fmt.Errorf("reading %s %s: %w", it.Resource, qualified(it.Namespace, it.Name), err)
	}
	return data, nil
}
