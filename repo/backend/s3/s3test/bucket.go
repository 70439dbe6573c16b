package s3test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Client returns a plain SDK client for the server Start returned, for
// tests that look at the bucket behind a backend's back.
func Client(endpoint, accessKey, secretKey, region string) *s3.Client {
	return s3.New(s3.Options{
		Region:       region,
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
	})
}

// NewBucket creates an empty bucket with a fresh name on the server and
// returns its name.
func NewBucket(t testing.TB, endpoint, accessKey, secretKey, region string) string {
	t.Helper()
	bucket := "cairn-test-" + randomHex(t, 8)
	in := &s3.CreateBucketInput{Bucket: aws.String(bucket)}
	if region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{
			LocationConstraint: types.BucketLocationConstraint(region),
		}
	}
	if _, err := Client(endpoint, accessKey, secretKey, region).CreateBucket(t.Context(), in); err != nil {
		t.Fatalf("creating bucket %s at %s: %v", bucket, endpoint, err)
	}
	return bucket
}
