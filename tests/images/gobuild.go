package images

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// goBuild builds pkg (a path under root, such as ./starter/cmd/cairn) as a
// static linux/amd64 binary, stripped and without local paths, into
// <dir>/bin/<name>, and returns its content. It runs go build every time:
// with the build cache warm and nothing changed, go build leaves the
// binary as it is, in well under a second. A lock on the binary keeps two
// builds of it from writing it at once.
func goBuild(ctx context.Context, root, dir, name, pkg string, tags ...string) ([]byte, error) {
	bin := filepath.Join(dir, "bin", name)
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return nil, err
	}
	unlock, err := lockFile(bin + ".lock")
	if err != nil {
		return nil, err
	}
	defer unlock()
	args := []string{"build", "-trimpath", "-ldflags", "-s -w", "-o", bin}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	cmd := exec.CommandContext(ctx, "go", append(args, pkg)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("images: go build %s: %w\n%s", pkg, err, out)
	}
	return os.ReadFile(bin)
}

// lockFile takes an exclusive lock on path (creating it) and returns its release.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("images: locking %s: %w", path, err)
	}
	return func() { f.Close() }, nil // closing the file releases the lock
}
