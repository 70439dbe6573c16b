// Package s3 stores a repository in an S3 bucket through aws-sdk-go-v2, in
// restic's S3 layout: every file at <prefix>/<path>, with packs under
// <prefix>/data/<first two hex digits>/<name>.
//
// Open checks that the bucket exists and that the credentials may use it,
// and says what to fix when not. Requests are retried by the SDK with
// exponential backoff and jitter; files larger than the part size are
// uploaded in parts. Secrets never appear in Location, in errors or in a
// Config's String.
package s3
