// Package locations manages backup storage locations (BSLs): where Cairn's
// repositories live, as Velero's `backup-location` commands manage them.
//
// # Storage in Kubernetes
//
// Velero keeps a BackupStorageLocation custom resource per location. Cairn
// needs no CRD: each location is one ConfigMap in Cairn's namespace (default
// "cairn"), named "cairn-bsl-<name>" and labelled
// "cairn.io/backup-storage-location=<name>". Its data holds two JSON
// documents, "spec" (provider, bucket, prefix, config, credential
// reference, access mode, default) and "status" (phase, last validation
// time, message), so that `kubectl get configmap -o yaml` shows them and a
// status update is a merge patch of one key that never races a spec edit.
//
// # Credentials
//
// No secret ever goes into the ConfigMap; the spec only names Secrets:
//
//   - `--credential secret=key` references a Secret the user made, in
//     Cairn's namespace, as in Velero. Its key holds an AWS
//     shared-credentials file (Velero's credentials-velero format).
//   - `--credential-file FILE` (a Cairn extension) has the CLI store the
//     file into the location's own Secret "cairn-bsl-<name>-credentials",
//     key "cloud", which Delete removes with the location.
//
// The repository password of a location comes from the Secret key named by
// `--repository-password-secret secret=key`, or else from Secret
// "cairn-repo-credentials", key "repository-password", generated once (32
// random bytes, base64) and shared by every location without its own.
// Losing that Secret loses access to the repositories that use it.
//
// # Validation
//
// Create and Update check their input completely before they write
// anything: the name (a DNS-1123 label), the provider ("aws" or "local"),
// the bucket (S3's naming rules), the prefix, the config keys (unknown keys
// are an error listing the allowed ones), the credential reference and the
// access mode, and that referenced Secrets exist. Check then tells whether
// the bucket is reachable with the credentials; ValidateAll records that in
// every location's status.
package locations
