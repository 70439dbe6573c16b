// Package restorer writes a snapshot, or part of it, to a local folder the
// way `restic restore --target` does, and faster.
//
// # What is restored
//
// The snapshot's tree is written under Options.Target, so a backup of
// /home/u/docs lands at <target>/home/u/docs. With Options.Subtree a
// folder's contents land directly in the target (restic's
// `restore <id>:<folder>`); with Options.Include only the given paths are
// restored, each at its full path (restic's --include without wildcards).
//
// Regular files get their content, mode (including setuid, setgid and
// sticky bits), uid/gid (only as root, unless Options.NoOwnership), extended
// attributes, and access and modification times. Folders get the same
// metadata after all their contents are written; symlinks get ownership
// and times without following the link. Files of a snapshot that share an
// inode and device id and have more than one link become hard links to the
// first of them restored, as restic does. Fifos and device nodes are
// created where the system permits (otherwise a warning); sockets are not
// restored (as in restic), nor are "irregular" entries.
//
// # Safety
//
// Every blob is decrypted, authenticated, decompressed and checked against
// its SHA-256 before any of it is written. A file's content is written to a
// temporary file (".cairn-restore-<run>-<n>") in its folder and renamed to
// its name only when complete: a corrupt or missing blob fails the restore
// with an error naming the file and the pack, and the temporary files of
// unfinished files are removed, so a restored name never holds wrong or
// partial content. Existing files and symlinks at a restored name are
// replaced. Node names are checked, so a crafted repository cannot write
// outside the target. On error or cancellation Restore stops at once and
// returns; files finished so far stay.
//
// # How
//
// The trees are read first and every file's blobs are looked up in the
// index and grouped by pack. Options.Connections workers then each take a
// pack at a time (in file order, but taking turns between up to
// Connections files, so that workers write to different files) and read
// it once, in ranges that cover the blobs needed (gaps under 1 MiB are
// read through), decode every blob in their own goroutine and write it
// with WriteAt, at every offset where it occurs, into files already
// extended to their size (truncate, or fallocate with
// Options.Preallocate). Buffers are per worker and reused; an uncompressed
// blob is written straight from the read buffer. If a pack range cannot be decoded, the
// blob is retried through LoadBlob, which tries the other indexed copies.
//
// The package is for Linux (Cairn's nodes).
package restorer
