package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairn-backup/cairn/repo/backend"
)

// Backend is a repository in an S3 bucket. Create it with Open or Create.
type Backend struct {
	client    *s3.Client
	transport *http.Transport
	bucket    string
	prefix    string
	region    string
	endpoint  string // for messages: the URL, or "AWS S3"
	location  string
	partSize  int64
	pageSize  int32 // objects per List request; 0 lets the server choose
}

var _ backend.Backend = (*Backend)(nil)

// Open connects to the bucket of cfg and checks that it exists and that the
// credentials may use it.
func Open(ctx context.Context, cfg Config) (*Backend, error) {
	b, err := newBackend(cfg)
	if err != nil {
		return nil, err
	}
	if err := b.checkBucket(ctx); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// Create is Open that first creates the bucket if it does not exist.
func Create(ctx context.Context, cfg Config) (*Backend, error) {
	b, err := newBackend(cfg)
	if err != nil {
		return nil, err
	}
	err = b.checkBucket(ctx)
	if errors.Is(err, ErrBucketNotFound) {
		err = b.createBucket(ctx)
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// newBackend validates cfg and builds the client, without a request.
func newBackend(cfg Config) (*Backend, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("S3 bucket not set")
	}
	prefix, err := cleanPrefix(cfg.Prefix)
	if err != nil {
		return nil, err
	}
	partSize := cfg.PartSize
	switch {
	case partSize == 0:
		partSize = DefaultPartSize
	case partSize < MinPartSize:
		return nil, fmt.Errorf("S3 part size %d is below S3's minimum of %d bytes", partSize, MinPartSize)
	}
	client, tr, err := newClient(cfg)
	if err != nil {
		return nil, err
	}
	b := &Backend{
		client:    client,
		transport: tr,
		bucket:    cfg.Bucket,
		prefix:    prefix,
		region:    region(cfg),
		endpoint:  "AWS S3",
		partSize:  partSize,
	}
	host := "s3.amazonaws.com"
	if u, _ := endpointURL(cfg.Endpoint); u != nil {
		b.endpoint = u.String()
		host = b.endpoint
	}
	b.location = "s3:" + host + "/" + path.Join(b.bucket, b.prefix)
	return b, nil
}

// checkBucket lists one key of the repository and explains a failure. A
// listing rather than HeadBucket, whose bodiless answers cannot tell a
// missing bucket from an unknown access key on every server; and List is
// what the repository needs to be allowed anyway.
func (b *Backend) checkBucket(ctx context.Context) error {
	_, err := b.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
		Bucket:  aws.String(b.bucket),
		Prefix:  aws.String(b.prefix),
		MaxKeys: aws.Int32(1),
	})
	if err == nil {
		return nil
	}
	if kind, code := classify(err); kind != otherError {
		return fmt.Errorf("opening %s: %w", b.location, b.configError(kind, code, err))
	}
	return fmt.Errorf("opening %s: %w", b.location, err)
}

// createBucket creates the bucket in the backend's region.
func (b *Backend) createBucket(ctx context.Context) error {
	in := &s3.CreateBucketInput{Bucket: aws.String(b.bucket)}
	if b.region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{
			LocationConstraint: types.BucketLocationConstraint(b.region),
		}
	}
	_, err := b.client.CreateBucket(ctx, in)
	var owned *types.BucketAlreadyOwnedByYou
	if err != nil && !errors.As(err, &owned) {
		if kind, code := classify(err); kind == accessDenied {
			err = b.configError(kind, code, err)
		}
		return fmt.Errorf("creating bucket %q at %s: %w", b.bucket, b.endpoint, err)
	}
	return nil
}

// key is the object key of h.
func (b *Backend) key(h backend.Handle) string {
	if b.prefix == "" {
		return h.Path()
	}
	return b.prefix + "/" + h.Path()
}

// check validates h and ctx before any request.
func check(ctx context.Context, h backend.Handle) error {
	if err := h.Valid(); err != nil {
		return err
	}
	return ctx.Err()
}

// Location implements backend.Backend, in restic's repository syntax.
func (b *Backend) Location() string { return b.location }

// Load implements backend.Backend with a ranged GET.
func (b *Backend) Load(ctx context.Context, h backend.Handle, offset, length int64) (io.ReadCloser, error) {
	if err := check(ctx, h); err != nil {
		return nil, fmt.Errorf("loading %v: %w", h, err)
	}
	if offset < 0 || length < 0 {
		return nil, fmt.Errorf("loading %v: negative range %d+%d", h, offset, length)
	}
	in := &s3.GetObjectInput{Bucket: aws.String(b.bucket), Key: aws.String(b.key(h))}
	switch {
	case length > 0:
		in.Range = aws.String(fmt.Sprintf("bytes=%d-%d", offset, offset+length-1))
	case offset > 0:
		in.Range = aws.String(fmt.Sprintf("bytes=%d-", offset))
	}
	out, err := b.client.GetObject(ctx, in)
	if err != nil {
		if kind, _ := classify(err); kind == invalidRange {
			return b.loadOutOfRange(ctx, h, offset, length)
		}
		return nil, b.wrap("loading", h, err)
	}
	if length > 0 && aws.ToInt64(out.ContentLength) != length {
		_ = out.Body.Close()
		return nil, fmt.Errorf("loading %v at %s: range %d+%d runs past its end", h, b.location, offset, length)
	}
	return out.Body, nil
}

// loadOutOfRange handles a range S3 refused: reading from exactly the end
// yields nothing, which S3 cannot express; anything else is an error.
func (b *Backend) loadOutOfRange(ctx context.Context, h backend.Handle, offset, length int64) (io.ReadCloser, error) {
	fi, err := b.Stat(ctx, h)
	if err != nil {
		return nil, err
	}
	if length == 0 && offset == fi.Size {
		return io.NopCloser(strings.NewReader("")), nil
	}
	return nil, fmt.Errorf("loading %v at %s: range %d+%d outside its %d bytes", h, b.location, offset, length, fi.Size)
}

// Stat implements backend.Backend.
func (b *Backend) Stat(ctx context.Context, h backend.Handle) (backend.FileInfo, error) {
	if err := check(ctx, h); err != nil {
		return backend.FileInfo{}, fmt.Errorf("stat %v: %w", h, err)
	}
	out, err := b.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b.bucket), Key: aws.String(b.key(h))})
	if err != nil {
		return backend.FileInfo{}, b.wrap("stat", h, err)
	}
	return backend.FileInfo{Name: h.Name, Size: aws.ToInt64(out.ContentLength)}, nil
}

// Remove implements backend.Backend. S3 deletes missing objects without
// complaint, so Remove asks first to report backend.ErrNotExist.
func (b *Backend) Remove(ctx context.Context, h backend.Handle) error {
	if _, err := b.Stat(ctx, h); err != nil {
		return fmt.Errorf("removing %v: %w", h, err)
	}
	_, err := b.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b.bucket), Key: aws.String(b.key(h))})
	if err != nil {
		return b.wrap("removing", h, err)
	}
	return nil
}

// List implements backend.Backend, page by page. Packs are found one level
// down, in data/<two hex digits>/; keys at other depths are skipped.
func (b *Backend) List(ctx context.Context, t backend.FileType, fn func(backend.FileInfo) error) error {
	if !slices.Contains(backend.FileTypes, t) {
		return fmt.Errorf("listing %q: not a listable file type", t)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("listing %s: %w", t, err)
	}
	dir := string(t) + "/"
	if b.prefix != "" {
		dir = b.prefix + "/" + dir
	}
	in := &s3.ListObjectsV2Input{Bucket: aws.String(b.bucket), Prefix: aws.String(dir)}
	if b.pageSize > 0 {
		in.MaxKeys = aws.Int32(b.pageSize)
	}
	pages := s3.NewListObjectsV2Paginator(b.client, in)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			if kind, code := classify(err); kind != otherError && kind != notFound {
				err = b.configError(kind, code, err)
			}
			return fmt.Errorf("listing %s at %s: %w", t, b.location, err)
		}
		for _, obj := range page.Contents {
			name, ok := fileName(strings.TrimPrefix(aws.ToString(obj.Key), dir), t)
			if !ok {
				continue
			}
			if err := fn(backend.FileInfo{Name: name, Size: aws.ToInt64(obj.Size)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// fileName returns the name of the file of type t at rel, the key relative
// to the type's folder, if rel is at the depth t's files live at.
func fileName(rel string, t backend.FileType) (string, bool) {
	sub, name, nested := strings.Cut(rel, "/")
	if t != backend.PackFile {
		return rel, !nested && rel != ""
	}
	return name, nested && len(sub) == 2 && name != "" && !strings.Contains(name, "/")
}

// Close implements backend.Backend.
func (b *Backend) Close() error {
	b.transport.CloseIdleConnections()
	return nil
}
