package archiver

import "github.com/cairn-backup/cairn/repo"

// idsPerPage is the number of blob ids in a page of streamIDs (32 KiB, the
// ids of about 1.5 GiB of a stream).
const idsPerPage = 1024

// streamIDs is the stream's content list while it is being saved: the
// reader adds slots in order and savers fill them concurrently. Slots live
// in fixed pages that never move, so adding one does not disturb a saver
// writing another.
type streamIDs struct {
	pages []*[idsPerPage]repo.ID
	n     int
}

// next returns a new slot after the last one (reader only).
func (l *streamIDs) next() *repo.ID {
	if l.n%idsPerPage == 0 {
		l.pages = append(l.pages, new([idsPerPage]repo.ID))
	}
	id := &l.pages[l.n/idsPerPage][l.n%idsPerPage]
	l.n++
	return id
}

// list returns the ids in order, a non-nil slice (restic's content of an
// empty file is []). Call it once the savers have finished.
func (l *streamIDs) list() []repo.ID {
	ids := make([]repo.ID, 0, l.n)
	for i, p := range l.pages {
		ids = append(ids, p[:min(idsPerPage, l.n-i*idsPerPage)]...)
	}
	return ids
}
