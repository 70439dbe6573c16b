package s3

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairn-backup/cairn/repo/backend"
)

const contentType = "application/octet-stream"

// Save implements backend.Backend: one PUT, or a multipart upload for data
// larger than the part size. Each request carries its Content-MD5 so that S3
// rejects bytes damaged on the way.
func (b *Backend) Save(ctx context.Context, h backend.Handle, data []byte) error {
	if err := check(ctx, h); err != nil {
		return fmt.Errorf("saving %v: %w", h, err)
	}
	if int64(len(data)) > b.partSize {
		return b.saveMultipart(ctx, h, data)
	}
	_, err := b.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(b.bucket),
		Key:           aws.String(b.key(h)),
		Body:          bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))),
		ContentMD5:    aws.String(contentMD5(data)),
		ContentType:   aws.String(contentType),
	})
	if err != nil {
		return b.wrap("saving", h, err)
	}
	return nil
}

// saveMultipart uploads data in parts; the object appears only when the
// upload completes, and a failed upload is aborted.
func (b *Backend) saveMultipart(ctx context.Context, h backend.Handle, data []byte) (err error) {
	key := aws.String(b.key(h))
	up, err := b.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket:      aws.String(b.bucket),
		Key:         key,
		ContentType: aws.String(contentType),
	})
	if err != nil {
		return b.wrap("saving", h, err)
	}
	defer func() {
		if err != nil {
			b.abort(ctx, key, up.UploadId)
		}
	}()

	partSize := max(b.partSize, (int64(len(data))+maxParts-1)/maxParts)
	var parts []types.CompletedPart
	for off, num := int64(0), int32(1); off < int64(len(data)); off, num = off+partSize, num+1 {
		part := data[off:min(off+partSize, int64(len(data)))]
		out, err := b.client.UploadPart(ctx, &s3.UploadPartInput{
			Bucket:        aws.String(b.bucket),
			Key:           key,
			UploadId:      up.UploadId,
			PartNumber:    aws.Int32(num),
			Body:          bytes.NewReader(part),
			ContentLength: aws.Int64(int64(len(part))),
			ContentMD5:    aws.String(contentMD5(part)),
		})
		if err != nil {
			return b.wrap(fmt.Sprintf("saving part %d of", num), h, err)
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(num)})
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("saving %v: %w", h, err)
	}
	_, err = b.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket:          aws.String(b.bucket),
		Key:             key,
		UploadId:        up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	})
	if err != nil {
		return b.wrap("completing the upload of", h, err)
	}
	return nil
}

// abort discards a failed upload's parts, even when ctx was cancelled; it
// is best effort, as bucket lifecycle rules can clean up what it misses.
func (b *Backend) abort(ctx context.Context, key, uploadID *string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, _ = b.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
		Bucket:   aws.String(b.bucket),
		Key:      key,
		UploadId: uploadID,
	})
}

func contentMD5(data []byte) string {
	sum := md5.Sum(data)
	return base64.StdEncoding.EncodeToString(sum[:])
}
