// Command images builds the test bed's container images (package
// tests/images) and prints, for scripts, one line per image: its tarball
// and the refs it answers to, separated by spaces.
//
//	images [-dir .tools/images] [-root .] [-busybox /bin/busybox]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/cairn-backup/cairn/tests/images"
)

func main() {
	dir := flag.String("dir", ".tools/images", "folder for the tarballs and the binaries in them")
	root := flag.String("root", ".", "the repository root")
	busybox := flag.String("busybox", "", "the busybox binary (/bin/busybox when empty)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	built, err := images.Build(ctx, images.Options{Dir: *dir, Root: *root, Busybox: *busybox})
	if err != nil {
		fmt.Fprintln(os.Stderr, "images:", err)
		os.Exit(1)
	}
	for _, img := range built {
		fmt.Println(img.Tarball, strings.Join(img.Refs, " "))
	}
}
