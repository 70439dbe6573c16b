// Package image builds Cairn's container image without a Docker engine,
// as deploy/Dockerfile builds it: the static cairn binary at
// /usr/local/bin/cairn, the nonroot user (65532) of the distroless base
// and the CA certificates, in one layer with no shell. It writes the
// image as a docker-archive tarball, which `ctr images import` and
// `docker load` both read.
package image

import (
	"bytes"
	"context"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Build is Cairn's image built from the repository at s.Root, its binary
// kept at binPath.
func Build(ctx context.Context, s Stamp, binPath string) (v1.Image, error) {
	bin, err := Binary(ctx, s, binPath)
	if err != nil {
		return nil, err
	}
	top, err := Layer(bin)
	if err != nil {
		return nil, err
	}
	return Assemble(Config(s), top)
}

// Assemble is a linux/amd64 image of config and the layers (uncompressed
// tar archives, the lowest first).
func Assemble(config v1.Config, layers ...[]byte) (v1.Image, error) {
	img, err := mutate.ConfigFile(empty.Image, &v1.ConfigFile{OS: "linux", Architecture: "amd64", Config: config})
	if err != nil {
		return nil, err
	}
	for _, data := range layers {
		opener := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		l, err := tarball.LayerFromOpener(opener, tarball.WithCompressedCaching)
		if err != nil {
			return nil, err
		}
		if img, err = mutate.AppendLayers(img, l); err != nil {
			return nil, err
		}
	}
	return img, nil
}
