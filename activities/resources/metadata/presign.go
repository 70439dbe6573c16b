package metadata

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// ErrNoURL means a store cannot hand out URLs: a local folder.
var ErrNoURL = errors.New("this storage cannot hand out download URLs")

// URLSigner is an ObjectStore that hands out URLs that read one object
// without credentials until they expire, as Velero's download requests
// answer.
type URLSigner interface {
	SignedGetURL(ctx context.Context, key string, ttl time.Duration) (string, error)
}

// SignedGetURL returns a presigned GET URL of the object at key.
func (s *S3Store) SignedGetURL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	p := s3.NewPresignClient(s.client, func(o *s3.PresignOptions) { o.Expires = ttl })
	req, err := p.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &s.bucket, Key: aws.String(s.key(key))})
	if err != nil {
		return "", fmt.Errorf("signing a URL of %s: %w", key, err)
	}
	return req.URL, nil
}

// SignedGetURL returns a presigned GET URL of key when the store can make
// one, ErrNoURL otherwise.
func (s Store) SignedGetURL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	signer, ok := s.Objects.(URLSigner)
	if !ok {
		return "", ErrNoURL
	}
	return signer.SignedGetURL(ctx, key, ttl)
}
