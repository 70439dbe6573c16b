// Package archive stores a backup's API objects as one repository snapshot
// whose tree is Velero's tarball layout, and reads them back.
//
//	metadata/version                                       "1.1.0\n"
//	resources/<group-resource>/namespaces/<ns>/<name>.json
//	resources/<group-resource>/cluster/<name>.json
//	resources/<group-resource>/<version>-preferredversion/namespaces/<ns>/<name>.json
//	resources/<group-resource>/<version>-preferredversion/cluster/<name>.json
//
// Each file's content is saved as data blobs: files up to 512 KiB as one
// blob, larger ones cut by restic's content-defined chunker with the
// repository's polynomial, as restic would. The two paths of an object share
// their blobs, and every node carries fixed times and modes, so an object that
// did not change since the last backup, and a folder whose objects did not
// change, add nothing to the repository. Blobs are encrypted by the
// repository: no object, Secrets included, reaches storage in plaintext.
package archive
