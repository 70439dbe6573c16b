package images

import (
	"context"
	_ "embed"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// entrypoint runs busybox httpd the way the seed's nginx runs: port 80,
// /usr/share/nginx/html, logs in /var/log/nginx.
//
//go:embed nginx/docker-entrypoint.sh
var entrypoint []byte

//go:embed nginx/index.html
var indexHTML []byte

// nginxRecipe is the nginx stand-in: the busybox layer, then a layer with
// the entrypoint script and the page it serves.
func nginxRecipe(ctx context.Context, o Options) (recipe, error) {
	base, err := busyboxLayer(ctx, o.Busybox)
	if err != nil {
		return recipe{}, err
	}
	return recipe{
		name: "nginx",
		refs: []string{NginxRef},
		config: v1.Config{
			Entrypoint:   []string{"/docker-entrypoint.sh"},
			Env:          []string{envPath},
			ExposedPorts: map[string]struct{}{"80/tcp": {}},
			StopSignal:   "SIGQUIT",
		},
		layers: []layer{base, {
			file("docker-entrypoint.sh", 0o755, entrypoint),
			file("usr/share/nginx/html/index.html", 0o644, indexHTML),
			dir("var/log/nginx", 0o755),
		}},
	}, nil
}
