// Package dump writes the content of one file of a snapshot to an
// io.Writer, as `restic dump <snapshot> <path>` does for a file.
package dump

import (
	"context"
	"fmt"
	"io"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/walker"
)

// Repository is what Dump needs of a repository; *repo.Repository
// implements it.
type Repository interface {
	walker.TreeLoader
	LoadBlob(ctx context.Context, t repo.BlobType, id repo.ID, buf []byte) ([]byte, error)
}

// Dump writes the content of the regular file at path p (absolute inside
// the snapshot) to w. Every blob is verified before it is written, so w
// receives only correct bytes, but a failure part way leaves w with a
// prefix of the file. A missing path, a folder or any other non-file is an
// error naming the path.
func Dump(ctx context.Context, r Repository, sn *repo.Snapshot, p string, w io.Writer) error {
	p = walker.Clean(p)
	n, err := walker.Find(ctx, r, *sn.Tree, p)
	if err != nil {
		return fmt.Errorf("dumping %s: %w", p, err)
	}
	if n.Type != repo.NodeTypeFile {
		return fmt.Errorf("dumping %s: it is a %s, not a file", p, n.Type)
	}
	var buf []byte
	for _, id := range n.Content {
		if buf, err = r.LoadBlob(ctx, repo.DataBlob, id, buf); err != nil {
			return fmt.Errorf("dumping %s: %w", p, err)
		}
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("dumping %s: writing: %w", p, err)
		}
	}
	return nil
}
