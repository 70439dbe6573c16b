// Package pack reads and writes restic pack files:
//
//	EncBlob1 || ... || EncBlobN || EncHeader || HeaderLen (uint32 LE)
//
// Every blob is sealed on its own. The header lists one entry per blob in
// file order (offsets are implicit): type 0/1 entries hold the sealed length
// and the blob id, type 2/3 entries (compressed data/tree, repository v2)
// also the uncompressed length. HeaderLen counts the sealed header only.
//
// The Writer builds a pack in memory and hashes it while it grows, so the
// pack's id is known when it is finalized without a second pass. The
// parser validates every field against the file size.
package pack
