package metadata

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	s3be "github.com/cairn-backup/cairn/repo/backend/s3"
)

// S3Store is an ObjectStore in an S3 bucket: key k is object <prefix>/k.
type S3Store struct {
	client *s3.Client
	bucket string
	prefix string
}

var _ ObjectStore = (*S3Store)(nil)

// NewS3Store returns a store in cfg's bucket under cfg.Prefix. Only
// cfg's endpoint, bucket, prefix, region, path style, static or environment
// credentials and TLS settings are used.
func NewS3Store(cfg s3be.Config) (*S3Store, error) {
	if cfg.Bucket == "" {
		return nil, fmt.Errorf("s3 store: no bucket")
	}
	region := cfg.Region
	for _, env := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if region == "" {
			region = os.Getenv(env)
		}
	}
	if region == "" {
		region = "us-east-1"
	}
	httpClient, err := s3HTTPClient(cfg)
	if err != nil {
		return nil, err
	}
	opts := s3.Options{
		Region: region, UsePathStyle: cfg.PathStyle, HTTPClient: httpClient,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
	if cfg.Endpoint != "" {
		ep := cfg.Endpoint
		if !strings.Contains(ep, "://") {
			ep = "https://" + ep
		}
		opts.BaseEndpoint = aws.String(ep)
		opts.UsePathStyle = true // S3-compatible servers rarely resolve bucket host names
	}
	id, secret, token := cfg.AccessKeyID, cfg.SecretAccessKey, cfg.SessionToken
	if id == "" {
		id, secret, token = os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN")
	}
	if id != "" {
		opts.Credentials = credentials.NewStaticCredentialsProvider(id, secret, token)
	}
	return &S3Store{client: s3.New(opts), bucket: cfg.Bucket, prefix: strings.Trim(cfg.Prefix, "/")}, nil
}

func s3HTTPClient(cfg s3be.Config) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	pem := cfg.CACertPEM
	if cfg.CACertFile != "" {
		data, err := os.ReadFile(cfg.CACertFile)
		if err != nil {
			return nil, fmt.Errorf("s3 store: reading CA file: %w", err)
		}
		pem = append(slices.Clone(pem), data...)
	}
	if len(pem) > 0 || cfg.InsecureSkipVerify {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: cfg.InsecureSkipVerify} //nolint:gosec // the user asked for it
		if len(pem) > 0 {
			pool, err := x509.SystemCertPool()
			if err != nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("s3 store: no certificate in the CA PEM")
			}
			tr.TLSClientConfig.RootCAs = pool
		}
	}
	return &http.Client{Transport: tr}, nil
}

func (s *S3Store) key(k string) string {
	if s.prefix == "" {
		return k
	}
	return path.Join(s.prefix, k)
}

// Put uploads the object.
func (s *S3Store) Put(ctx context.Context, key string, data []byte) error {
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &s.bucket, Key: aws.String(s.key(key)), Body: bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))),
	})
	if err != nil {
		return fmt.Errorf("putting %s: %w", key, err)
	}
	return nil
}

// Get downloads the object.
func (s *S3Store) Get(ctx context.Context, key string) ([]byte, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.bucket, Key: aws.String(s.key(key))})
	if err != nil {
		if isNotFound(err) {
			return nil, fmt.Errorf("getting %s: %w", key, ErrNotFound)
		}
		return nil, fmt.Errorf("getting %s: %w", key, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, fmt.Errorf("getting %s: %w", key, err)
	}
	return data, nil
}

// List pages through the keys under prefix.
func (s *S3Store) List(ctx context.Context, prefix string) ([]string, error) {
	full := s.key(prefix)
	if s.prefix != "" && prefix == "" {
		full = s.prefix + "/"
	}
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: &s.bucket, Prefix: aws.String(full)})
	var keys []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing %q: %w", prefix, err)
		}
		for _, o := range page.Contents {
			k := aws.ToString(o.Key)
			if s.prefix != "" {
				k = strings.TrimPrefix(k, s.prefix+"/")
			}
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys, nil
}

// Delete removes the object; S3 does not report missing keys, so Delete
// checks first.
func (s *S3Store) Delete(ctx context.Context, key string) error {
	_, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &s.bucket, Key: aws.String(s.key(key))})
	if err != nil {
		if isNotFound(err) {
			return fmt.Errorf("deleting %s: %w", key, ErrNotFound)
		}
		return fmt.Errorf("deleting %s: %w", key, err)
	}
	if _, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.bucket, Key: aws.String(s.key(key))}); err != nil {
		return fmt.Errorf("deleting %s: %w", key, err)
	}
	return nil
}

func isNotFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return true
	}
	var api smithy.APIError
	return errors.As(err, &api) && (api.ErrorCode() == "NoSuchKey" || api.ErrorCode() == "NotFound")
}
