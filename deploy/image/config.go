package image

import (
	"strconv"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Nonroot is the user the image runs as, distroless's nonroot.
const Nonroot = 65532

// Entrypoint is where the binary is.
const Entrypoint = "/usr/local/bin/cairn"

// source is the repository the image's label points at.
const source = "https://github.com/cairn-backup/cairn"

// Config runs cairn as nonroot, with the OCI labels of the build.
func Config(s Stamp) v1.Config {
	labels := map[string]string{
		"org.opencontainers.image.title":   "cairn",
		"org.opencontainers.image.version": s.version(),
		"org.opencontainers.image.source":  source,
	}
	if s.Commit != "" {
		labels["org.opencontainers.image.revision"] = s.Commit
	}
	return v1.Config{
		Entrypoint: []string{Entrypoint},
		Env:        []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
		User:       strconv.Itoa(Nonroot),
		Labels:     labels,
	}
}
