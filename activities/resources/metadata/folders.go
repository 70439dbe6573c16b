package metadata

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// folderLister is an ObjectStore that lists the folders under a prefix
// without listing every key below them.
type folderLister interface {
	Folders(ctx context.Context, prefix string) ([]string, error)
}

// Folders returns the names of the folders right under prefix (which ends
// in "/"), such as the repositories under "restic/", sorted.
func (s Store) Folders(ctx context.Context, prefix string) ([]string, error) {
	if fl, ok := s.Objects.(folderLister); ok {
		return fl.Folders(ctx, prefix)
	}
	keys, err := s.Objects.List(ctx, prefix)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range keys {
		if dir, _, ok := strings.Cut(strings.TrimPrefix(k, prefix), "/"); ok && dir != "" && !slices.Contains(out, dir) {
			out = append(out, dir)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Folders reads the folder; a missing one has no folders.
func (d *DirStore) Folders(ctx context.Context, prefix string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(filepath.Join(d.dir, filepath.FromSlash(prefix)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing %q: %w", prefix, err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// Folders lists the common prefixes under prefix with a "/" delimiter.
func (s *S3Store) Folders(ctx context.Context, prefix string) ([]string, error) {
	full := strings.Trim(s.key(prefix), "/")
	if full != "" {
		full += "/"
	}
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket: &s.bucket, Prefix: aws.String(full), Delimiter: aws.String("/"),
	})
	var out []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing %q: %w", prefix, err)
		}
		for _, p := range page.CommonPrefixes {
			if dir := strings.TrimSuffix(strings.TrimPrefix(aws.ToString(p.Prefix), full), "/"); dir != "" {
				out = append(out, dir)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}
