// Package backup runs one resource backup: it validates the filters against
// the server's discovery, collects the selected objects into a repository
// snapshot in Velero's tarball layout (package archive) and writes the
// plaintext records beside it (package metadata). The Result carries names,
// counts and the snapshot ID only.
package backup
