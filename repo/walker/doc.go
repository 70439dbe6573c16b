// Package walker walks the trees of a snapshot: Walk visits every node
// depth-first in name order with its absolute path inside the snapshot,
// Find resolves one path, and Ls lists what `restic ls` lists.
//
// Paths are slash-separated and absolute inside the snapshot ("/" is the
// snapshot's root tree); a relative path is taken relative to "/". Node
// names are checked as they are walked: a name that is empty, "." or "..",
// or contains a slash is an error, so a crafted repository cannot make a
// caller write outside its target.
package walker
