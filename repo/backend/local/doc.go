// Package local stores a repository in a folder on a local or mounted file
// system, in restic's layout, so that the restic binary can use the same
// folder:
//
//	config
//	data/00 … data/ff/<id>
//	index/<id>
//	keys/<id>
//	locks/<id>
//	snapshots/<id>
//
// Files are written atomically (temporary file in the target folder, fsync,
// rename, fsync of the folder) and then made read-only, as restic does.
// Folders get mode 0700 and files 0400, or 0750 and 0440 when the
// repository's config file is readable by its group.
package local
