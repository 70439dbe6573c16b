// Package index encodes and decodes restic index files and keeps the
// in-memory master index that maps every blob to its place in a pack.
//
// An index file (plaintext, before the unpacked-file encryption) is
//
//	{"supersedes":[...],"packs":[{"id":"..","blobs":[{"id":"..","type":"data","offset":0,"length":38,"uncompressed_length":511}]}]}
//
// where uncompressed_length is present only for compressed blobs and
// supersedes is obsolete (read and ignored, never written).
package index
