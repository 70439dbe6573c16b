package images

import (
	"context"
	"os"
	"path/filepath"

	"github.com/cairn-backup/cairn/deploy/image"
)

// cairnRecipe is Cairn's image as deploy/image builds it for `make image`,
// tagged CairnRef, on the busybox layer so that one can exec a shell in it
// (the production image, like distroless, has none).
func cairnRecipe(ctx context.Context, o Options) (recipe, error) {
	base, err := busyboxLayer(ctx, o.Busybox)
	if err != nil {
		return recipe{}, err
	}
	s := image.Stamp{Root: o.Root}
	bin, err := cairnBinary(ctx, s, filepath.Join(o.Dir, "bin", "cairn"))
	if err != nil {
		return recipe{}, err
	}
	top, err := image.Layer(bin)
	if err != nil {
		return recipe{}, err
	}
	return recipe{name: "cairn", refs: []string{CairnRef}, config: image.Config(s), layers: []layer{base}, tars: [][]byte{top}}, nil
}

// cairnBinary builds cairn into bin under a lock, so that two builds into
// the same Dir do not write it at once.
func cairnBinary(ctx context.Context, s image.Stamp, bin string) ([]byte, error) {
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return nil, err
	}
	unlock, err := lockFile(bin + ".lock")
	if err != nil {
		return nil, err
	}
	defer unlock()
	return image.Binary(ctx, s, bin)
}
