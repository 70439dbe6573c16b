package s3

import (
	"errors"
	"fmt"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/cairn-backup/cairn/repo/backend"
)

// Errors that need the user to change the configuration; retrying cannot
// help. They are wrapped with the bucket, the endpoint and what to fix.
var (
	ErrBucketNotFound = errors.New("bucket does not exist")
	ErrAccessDenied   = errors.New("access denied")
)

// errorKind sorts the SDK's errors into the cases the backend reports apart.
type errorKind int

const (
	otherError errorKind = iota
	notFound
	bucketNotFound
	accessDenied
	invalidRange
	wrongRegion
)

// classify looks at the S3 error code and, for bodiless HEAD responses, at
// the HTTP status.
func classify(err error) (errorKind, string) {
	var apiErr smithy.APIError
	code := ""
	if errors.As(err, &apiErr) {
		code = apiErr.ErrorCode()
	}
	switch code {
	case "NoSuchKey":
		return notFound, code
	case "NoSuchBucket":
		return bucketNotFound, code
	case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken",
		"InvalidToken", "InvalidSecurity", "AuthorizationHeaderMalformed", "AllAccessDisabled",
		"XAdminUserNotFound": // versitygw's answer to an unknown access key ID
		return accessDenied, code
	case "InvalidRange":
		return invalidRange, code
	case "PermanentRedirect", "AuthorizationQueryParametersError":
		return wrongRegion, code
	}
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		switch respErr.HTTPStatusCode() {
		case 404:
			return notFound, code
		case 401, 403:
			return accessDenied, code
		case 416:
			return invalidRange, code
		case 301:
			return wrongRegion, code
		}
	}
	return otherError, code
}

// wrap describes a failed request on h, mapping a missing object to
// backend.ErrNotExist and configuration problems to their sentinels.
func (b *Backend) wrap(op string, h backend.Handle, err error) error {
	kind, code := classify(err)
	switch kind {
	case notFound:
		return fmt.Errorf("%s %v at %s: %w", op, h, b.location, backend.ErrNotExist)
	case bucketNotFound, accessDenied, wrongRegion:
		return fmt.Errorf("%s %v: %w", op, h, b.configError(kind, code, err))
	}
	return fmt.Errorf("%s %v at %s: %w", op, h, b.location, err)
}

// configError explains an error that the configuration must fix.
func (b *Backend) configError(kind errorKind, code string, err error) error {
	if code != "" {
		code = " (" + code + ")"
	}
	switch kind {
	case bucketNotFound, notFound:
		return fmt.Errorf("%w: bucket %q at %s%s; create it, or correct the bucket name or endpoint",
			ErrBucketNotFound, b.bucket, b.endpoint, code)
	case accessDenied:
		return fmt.Errorf("%w: bucket %q at %s%s; check the access key ID and secret access key, and that they may use this bucket",
			ErrAccessDenied, b.bucket, b.endpoint, code)
	case wrongRegion:
		return fmt.Errorf("bucket %q at %s is in another region than %q%s; set the bucket's region",
			b.bucket, b.endpoint, b.region, code)
	}
	return fmt.Errorf("reaching bucket %q at %s: %w", b.bucket, b.endpoint, err)
}
