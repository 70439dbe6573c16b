package smoke

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// TestS3 talks to versitygw with a plain aws-sdk-go-v2 client: custom
// endpoint, path-style addressing, the test bed's region and keys.
func TestS3(t *testing.T) {
	bed := testbed.ForTest(t)
	ctx := context.Background()
	client := s3.New(s3.Options{
		BaseEndpoint: aws.String(bed.S3.URL),
		Region:       bed.S3.Region,
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(bed.S3.AccessKey, bed.S3.SecretKey, ""),
	})
	bucket := aws.String(bed.S3.Bucket)
	body := bytes.Repeat([]byte("cairn smoke "), 1000)
	for _, key := range []string{"smoke/a.txt", "smoke/b.txt"} {
		if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String(key), Body: bytes.NewReader(body)}); err != nil {
			t.Fatalf("put %s: %v", key, err)
		}
	}
	got, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("smoke/a.txt")})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	data, err := io.ReadAll(got.Body)
	got.Body.Close()
	if err != nil || !bytes.Equal(data, body) {
		t.Fatalf("get returned %d bytes (err %v), want the %d put", len(data), err, len(body))
	}
	list, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: bucket, Prefix: aws.String("smoke/")})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if len(list.Contents) != 2 {
		t.Fatalf("list found %d objects, want 2", len(list.Contents))
	}
	if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: bucket, Key: aws.String("smoke/a.txt")}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("smoke/a.txt")})
	var missing *types.NoSuchKey
	if !errors.As(err, &missing) {
		t.Fatalf("get after delete: %v, want NoSuchKey", err)
	}
	wrong := s3.New(s3.Options{
		BaseEndpoint: aws.String(bed.S3.URL), Region: bed.S3.Region, UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(bed.S3.AccessKey, "not-the-secret", ""),
	})
	if _, err := wrong.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("smoke/b.txt")}); err == nil {
		t.Fatal("a wrong secret key was accepted: the server does not check signatures")
	}
}
