// Package s3test runs a throwaway S3 server for tests: versitygw, the S3
// gateway the test bed installs in .tools/bin (`make tools`), serving a
// temporary folder.
//
//	endpoint, access, secret, region := s3test.Start(t)
//	bucket := s3test.NewBucket(t, endpoint, access, secret, region)
//
// It is a non-test package so that any package's tests can use it; it must
// not be imported by production code.
package s3test
