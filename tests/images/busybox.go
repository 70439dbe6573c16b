package images

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// envPath is the PATH of every image, busybox's.
const envPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// busyboxRecipe is busybox: Options.Busybox at /bin/busybox, a symlink to
// it for each of its applets in /bin, and a shell as the command.
func busyboxRecipe(ctx context.Context, o Options) (recipe, error) {
	l, err := busyboxLayer(ctx, o.Busybox)
	if err != nil {
		return recipe{}, err
	}
	return recipe{
		name:   "busybox",
		refs:   []string{BusyboxRef, BusyboxShortRef},
		config: v1.Config{Cmd: []string{"sh"}, Env: []string{envPath}},
		layers: []layer{l},
	}, nil
}

// busyboxLayer is the root filesystem of the busybox image, which the
// nginx and cairn images start from.
func busyboxLayer(ctx context.Context, busybox string) (layer, error) {
	bin, err := os.ReadFile(busybox)
	if err != nil {
		return nil, fmt.Errorf("images: the busybox binary: %w", err)
	}
	applets, err := appletsOf(ctx, busybox)
	if err != nil {
		return nil, err
	}
	l := layer{
		dir("bin", 0o755),
		file("bin/busybox", 0o755, bin),
	}
	for _, a := range applets {
		l = append(l, symlink("bin/"+a, "busybox"))
	}
	l = append(l, accountFiles(baseAccounts)...)
	return append(l,
		dir("root", 0o700),
		dir("tmp", fs.ModeSticky|0o777),
		dir("var", 0o755),
	), nil
}

// appletsOf lists the applets of the busybox binary, busybox itself left out.
func appletsOf(ctx context.Context, busybox string) ([]string, error) {
	out, err := exec.CommandContext(ctx, busybox, "--list").Output()
	if err != nil {
		return nil, fmt.Errorf("images: %s --list: %w", busybox, err)
	}
	var applets []string
	for _, a := range strings.Fields(string(out)) {
		if a != "busybox" && !strings.Contains(a, "/") {
			applets = append(applets, a)
		}
	}
	if len(applets) == 0 {
		return nil, fmt.Errorf("images: %s --list lists no applets", busybox)
	}
	return applets, nil
}
