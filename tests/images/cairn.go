package images

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strconv"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// caBundle is the host's CA certificates, which the cairn image carries as
// the distroless image of deploy/Dockerfile does.
const caBundle = "/etc/ssl/certs/ca-certificates.crt"

// nonroot is the user deploy/Dockerfile's image runs as (distroless's nonroot).
const nonroot = 65532

// cairnRecipe is Cairn's image: cairn built as deploy/Dockerfile builds it,
// at /usr/local/bin/cairn, on the busybox layer so that one can exec a
// shell in it, running as nonroot as the distroless image does.
func cairnRecipe(ctx context.Context, o Options) (recipe, error) {
	base, err := busyboxLayer(ctx, o.Busybox)
	if err != nil {
		return recipe{}, err
	}
	bin, err := goBuild(ctx, o.Root, o.Dir, "cairn", "./starter/cmd/cairn", "nodev")
	if err != nil {
		return recipe{}, err
	}
	top, err := cairnLayer(bin)
	if err != nil {
		return recipe{}, err
	}
	return recipe{
		name: "cairn",
		refs: []string{CairnRef},
		config: v1.Config{
			Entrypoint: []string{"/usr/local/bin/cairn"},
			Env:        []string{envPath},
			User:       strconv.Itoa(nonroot),
		},
		layers: []layer{base, top},
	}, nil
}

// cairnLayer holds the binary, the nonroot user and its home, and the CA
// certificates when the host has them.
func cairnLayer(bin []byte) (layer, error) {
	home := dir("home/nonroot", 0o700)
	home.uid, home.gid = nonroot, nonroot
	accounts := append(baseAccounts[:len(baseAccounts):len(baseAccounts)],
		account{name: "nonroot", id: nonroot, home: "/home/nonroot", shell: "/bin/false"})
	l := layer{file("usr/local/bin/cairn", 0o755, bin), home, dir("tmp", fs.ModeSticky|0o777)}
	l = append(l, accountFiles(accounts)...)
	certs, err := os.ReadFile(caBundle)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return nil, err
	}
	return append(l, file(caBundle[1:], 0o644, certs)), nil
}
