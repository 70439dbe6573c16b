// Package forget decides which snapshots to keep and removes the others, with
// the semantics of restic 0.18's forget command: a keep Policy (--keep-last,
// --keep-daily, --keep-within, --keep-tag, ...) is applied to each group of
// snapshots (--group-by), or snapshots are removed by id.
//
// Forgetting only removes snapshot files; the data they referenced stays
// until a prune (repo.Repository.Prune). Callers that remove snapshots must
// hold an exclusive lock on the repository (repo.Repository.Lock with
// exclusive set), as restic does.
package forget
