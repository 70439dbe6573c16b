// Package chunker cuts a stream into content-defined chunks exactly where
// github.com/restic/chunker (v0.4.0) cuts it, for any polynomial: a Rabin
// fingerprint over a 64-byte window, chunks of 512 KiB to 8 MiB, a cut after
// the first byte (at or past the minimum size) whose fingerprint has its low
// 20 bits clear.
//
// It is faster than restic's implementation in three ways:
//
//   - Chunks are cut in place in the caller's buffer: file data is read
//     straight into it, and only the few bytes read past a cut are copied
//     (into the next chunk's buffer). restic reads into a private buffer and
//     copies every byte into the chunk.
//   - The window is not kept in a ring buffer: the byte leaving the window is
//     read from the chunk itself, and its contribution, shifted and reduced,
//     comes from one table, so a step is two table loads and a few ALU
//     operations on a value held in a register.
//   - Since the fingerprint at a position depends only on the 64 bytes
//     before it, the bytes to search are split into several lanes searched in
//     lockstep, each with its own fingerprint. The lanes' dependency chains
//     (shift, table load, xor) overlap, so the search runs at the CPU's
//     throughput rather than at the latency of one chain. The first cut of
//     the earliest lane with one wins, which is the cut a sequential search
//     finds.
//
// Like restic's, the first MinSize-64 bytes of a chunk are not hashed: a cut
// can only come after MinSize bytes, and by then the window holds only bytes
// of the chunk, so the fingerprint there does not depend on what came
// before.
package chunker
