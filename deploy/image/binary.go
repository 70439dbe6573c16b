package image

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// buildinfo is the package whose variables the build stamps.
const buildinfo = "github.com/cairn-backup/cairn/worker/buildinfo"

// Binary builds cairn as `make build` does (-tags nodev, the same -X
// stamps), static (CGO_ENABLED=0) for linux/amd64, stripped and without
// local paths, into out, and returns its content.
func Binary(ctx context.Context, s Stamp, out string) ([]byte, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "nodev", "-trimpath", "-ldflags", ldflags(s), "-o", out, "./starter/cmd/cairn")
	cmd.Dir = s.Root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("image: go build ./starter/cmd/cairn in %s: %w\n%s", s.Root, err, msg)
	}
	return os.ReadFile(out)
}

// ldflags strips the binary and stamps the version, and the commit when s has one.
func ldflags(s Stamp) string {
	f := "-s -w -X " + buildinfo + ".version=" + s.version()
	if s.Commit != "" {
		f += " -X " + buildinfo + ".commit=" + s.Commit
	}
	return f
}
