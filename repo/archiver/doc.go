// Package archiver backs up local directory trees into a restic repository
// (package repo) the way restic's backup command does: one snapshot per
// call, with the targets' absolute paths reproduced in the snapshot's root
// tree, file contents cut where restic's content-defined chunker cuts them
// with the repository's polynomial (by repo/internal/chunker, which reads
// into the chunk buffers and cuts in place), and nodes carrying the
// metadata restic records
// on Linux.
//
// Backup runs a pipeline: one goroutine walks the targets and builds
// directory nodes, ReadConcurrency workers read and chunk files, and a pool
// of savers hashes each chunk once and hands it to repo.SaveBlob, which
// compresses and encrypts it into a pack in the saver's goroutine. Chunk
// buffers come from a bounded pool, so memory does not grow with file
// sizes. Files smaller than the chunker's minimum chunk size are read in
// one call into the worker's own buffer and saved by it. When OnProgress
// is set, a concurrent scanner computes the totals it reports.
//
// With a parent snapshot a file whose parent node has the same size, mtime,
// ctime and inode keeps the parent's content list without being read
// (restic's rule); Options.ParentPath compares a target that moved with
// where it was. Files that cannot be read are skipped with a warning;
// repository errors and cancellation end the backup. Cancelling the
// context leaves the packs already uploaded indexed (package repo writes
// the index), so running the same backup again uploads only what is
// missing.
package archiver
