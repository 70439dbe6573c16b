// Command image builds Cairn's image without a Docker engine and writes
// it as a docker-archive tarball tagged ghcr.io/cairn-backup/cairn:<version>
// (`make image` runs it):
//
//	go run ./deploy/cmd/image -version v0.2.0 -commit abc123 -o bin/cairn-image-v0.2.0.tar
//
// Load the tarball with `ctr images import` or `docker load`.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cairn-backup/cairn/deploy/image"
	"github.com/cairn-backup/cairn/deploy/release"
)

func main() {
	var s image.Stamp
	var out string
	flag.StringVar(&s.Root, "root", ".", "the repository root")
	flag.StringVar(&s.Version, "version", release.Version, "the version stamped into the binary and tagging the image")
	flag.StringVar(&s.Commit, "commit", "", "the git commit stamped into the binary and the revision label")
	flag.StringVar(&out, "o", "", "the tarball to write (default bin/cairn-image-<version>.tar)")
	flag.Parse()
	if err := run(s, out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run builds the image into out and says where it is.
func run(s image.Stamp, out string) error {
	if flag.NArg() > 0 {
		return fmt.Errorf("image: unexpected arguments %q; it takes only flags (-h lists them)", flag.Args())
	}
	if s.Version == "" {
		s.Version = release.Version
	}
	if out == "" {
		out = filepath.Join(s.Root, "bin", "cairn-image-"+s.Version+".tar")
	}
	img, err := image.Build(context.Background(), s, out+".bin")
	if err != nil {
		return err
	}
	defer os.Remove(out + ".bin")
	if err := image.Write(out, img, s.Ref()); err != nil {
		return err
	}
	fmt.Printf("%s: %s\n", out, s.Ref())
	return nil
}
