package images

import (
	"context"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// pauseRecipe is the sandbox image: the pause program of ./pause at /pause.
func pauseRecipe(ctx context.Context, o Options) (recipe, error) {
	bin, err := goBuild(ctx, o.Root, o.Dir, "pause", "./tests/images/pause")
	if err != nil {
		return recipe{}, err
	}
	return recipe{
		name:   "pause",
		refs:   []string{PauseRef},
		config: v1.Config{Entrypoint: []string{"/pause"}},
		layers: []layer{{file("pause", 0o755, bin)}},
	}, nil
}
