package metadata

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"fmt"
	"io"

	"github.com/cairn-backup/cairn/activities/resources/archive"
	"github.com/cairn-backup/cairn/repo"
)

// DownloadStats counts what Download wrote.
type DownloadStats struct {
	Files int
	Bytes int64 // uncompressed content
}

// Download writes the snapshot of backup record b as Velero's
// <name>.tar.gz to w: every file of the snapshot (metadata/version and the
// resources/ tree, legacy and preferred-version paths), as regular entries
// with mode 0755, in path order.
func Download(ctx context.Context, r archive.Loader, b *Backup, w io.Writer) (DownloadStats, error) {
	var st DownloadStats
	id, err := repo.ParseID(b.SnapshotID())
	if err != nil {
		return st, fmt.Errorf("backup %s names no valid snapshot: %w", b.Metadata.Name, err)
	}
	rd, err := archive.Open(ctx, r, id)
	if err != nil {
		return st, fmt.Errorf("downloading backup %s: %w", b.Metadata.Name, err)
	}
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	mtime := rd.Snapshot().Time
	var buf []byte
	err = rd.WalkFiles(ctx, func(p string, n *repo.Node) error {
		buf, err = rd.ReadContent(ctx, n.Content, buf)
		if err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
		hdr := &tar.Header{Name: p, Size: int64(len(buf)), Typeflag: tar.TypeReg, Mode: 0o755, ModTime: mtime}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(buf); err != nil {
			return err
		}
		st.Files++
		st.Bytes += int64(len(buf))
		return nil
	})
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return st, fmt.Errorf("downloading backup %s: %w", b.Metadata.Name, err)
	}
	return st, nil
}
