// Package repo reads and writes restic repositories (format version 2, and
// version 1 for reading) on top of a backend.Backend.
//
// Vocabulary, as in restic:
//
//   - A blob is a piece of file content (data blob) or a directory listing
//     (tree blob), named by the SHA-256 of its plaintext (an ID).
//   - A pack is a file under data/ holding many encrypted (and in version 2
//     usually compressed) blobs followed by an encrypted header.
//   - Index files under index/ map blobs to packs; the Repository keeps them
//     in memory as a compact master index.
//   - Snapshots, index files and locks are "unpacked" files: one encrypted
//     JSON document each, named by the SHA-256 of the stored bytes.
//   - Key files under keys/ hold the master key, encrypted with a key derived
//     from a password by scrypt.
//
// A backup saves blobs with SaveBlob (and trees with SaveTree), calls Flush
// to upload the remaining packs and write the index, and then saves a
// Snapshot. Readers use LoadBlob, LoadTree and the snapshot functions.
// Check verifies a repository. repo/DESIGN.md describes the format and the
// implementation choices.
package repo
