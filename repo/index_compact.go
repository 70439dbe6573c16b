package repo

import (
	"context"
	"fmt"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/index"
)

// CompactIndex merges the index files into one when there are more than
// threshold of them: every backup writes at least one, and opening the
// repository reads them all, so a repository that takes many small backups
// (Cairn's resources repository takes one per backup) would open slower and
// slower. The merged file is saved before the old ones are removed, so the
// index never loses a pack; a reader that listed a removed file fails to
// open and can simply open again. The caller must hold an exclusive lock,
// as restic's prune does. It returns the number of files merged (0 when
// there were too few).
func (r *Repository) CompactIndex(ctx context.Context, threshold int) (int, error) {
	ids, err := listNames(ctx, r.be, backend.IndexFile)
	if err != nil {
		return 0, err
	}
	if len(ids) <= threshold {
		return 0, nil
	}
	var merged index.File
	seen := map[[32]byte]bool{}
	err = r.forEachIndex(ctx, ids, func(_ ID, f *index.File) error {
		for _, p := range f.Packs {
			if !seen[p.ID] {
				seen[p.ID] = true
				merged.Packs = append(merged.Packs, p)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if _, err := r.saveIndexFile(ctx, &merged); err != nil {
		return 0, fmt.Errorf("saving the merged index of %s: %w", r.be.Location(), err)
	}
	for _, id := range ids {
		if err := r.be.Remove(ctx, backend.Handle{Type: backend.IndexFile, Name: id.String()}); err != nil {
			return 0, fmt.Errorf("removing index file %s after merging it: %w", id.Str(), err)
		}
	}
	return len(ids), nil
}

// IndexFileCount returns how many index files the repository has.
func (r *Repository) IndexFileCount(ctx context.Context) (int, error) {
	ids, err := listNames(ctx, r.be, backend.IndexFile)
	return len(ids), err
}
