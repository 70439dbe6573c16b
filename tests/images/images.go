package images

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sync/errgroup"

	"github.com/cairn-backup/cairn/deploy/release"
)

// The refs the images answer to. Manifests, pod specs and the restore-wait
// init container name them; keep them as they are.
const (
	// PauseRef is the sandbox image ref: the test bed's containerd names it
	// as its sandbox_image.
	PauseRef = "registry.k8s.io/pause:3.10"
	// BusyboxRef is busybox; pod specs say busybox:1.35 (BusyboxShortRef).
	BusyboxRef = "docker.io/library/busybox:1.35"
	// BusyboxShortRef is what containerd normalizes to BusyboxRef.
	BusyboxShortRef = "busybox:1.35"
	// NginxRef is the nginx stand-in; the seed example says nginx:stable.
	NginxRef = "docker.io/library/nginx:stable"
	// CairnRef is Cairn's image of this release (deploy/ and
	// restore.DefaultHelperImage).
	CairnRef = release.Image
)

// Image is one built image: the refs it answers to and its docker-archive tarball.
type Image struct {
	Refs    []string
	Tarball string
}

// Options say where Build works and what it builds from.
type Options struct {
	// Dir is where tarballs and cached binaries go (created if missing).
	Dir string
	// Root is the repository root (for building cairn and pause).
	Root string
	// Busybox is the busybox binary ("/bin/busybox" when empty).
	Busybox string
}

// Build builds every image and returns them, the pause image first. It is
// safe for two processes to build into the same Dir at once.
func Build(ctx context.Context, o Options) ([]Image, error) {
	o, err := o.resolve()
	if err != nil {
		return nil, err
	}
	recipes := []func(context.Context, Options) (recipe, error){pauseRecipe, busyboxRecipe, nginxRecipe, cairnRecipe}
	out := make([]Image, len(recipes))
	g, ctx := errgroup.WithContext(ctx)
	for i, recipeOf := range recipes {
		g.Go(func() error {
			r, err := recipeOf(ctx, o)
			if err != nil {
				return err
			}
			path, err := writeCached(o.Dir, r)
			out[i] = Image{Refs: r.refs, Tarball: path}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// resolve fills in defaults, makes the paths absolute and creates Dir.
func (o Options) resolve() (Options, error) {
	if o.Dir == "" || o.Root == "" {
		return o, errors.New("images: Options.Dir and Options.Root are required")
	}
	if o.Busybox == "" {
		o.Busybox = "/bin/busybox"
	}
	var err error
	if o.Dir, err = filepath.Abs(o.Dir); err != nil {
		return o, err
	}
	if o.Root, err = filepath.Abs(o.Root); err != nil {
		return o, err
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return o, fmt.Errorf("images: %w", err)
	}
	return o, nil
}
