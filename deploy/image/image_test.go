package image

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// TestMakeImageTarball runs the command `make image` runs and reads its
// tarball back: the tag, the config and the files of the layer.
func TestMakeImageTarball(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cairn.tar")
	cmd := exec.Command("go", "run", "./deploy/cmd/image", "-root", ".", "-version", "v9.8.7-test", "-commit", "0123456789ab", "-o", out)
	cmd.Dir = "../.." // the repository root
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, msg)
	}
	tag, err := name.NewTag("ghcr.io/cairn-backup/cairn:v9.8.7-test")
	if err != nil {
		t.Fatal(err)
	}
	img, err := tarball.ImageFromPath(out, &tag)
	if err != nil {
		t.Fatalf("the tarball has no %s: %v", tag, err)
	}
	checkConfig(t, img)
	files := layerFiles(t, img)
	if bin := files["usr/local/bin/cairn"]; bin.Mode != 0o755 || bin.Size < 1<<20 || !bytes.HasPrefix(bin.data, []byte("\x7fELF")) {
		t.Errorf("usr/local/bin/cairn is %o, %d bytes", bin.Mode, bin.Size)
	}
	if home := files["home/nonroot/"]; home.Uid != Nonroot || home.Mode != 0o700 {
		t.Errorf("home/nonroot is %o owned by %d", home.Mode, home.Uid)
	}
	if !strings.Contains(string(files["etc/passwd"].data), "nonroot:x:65532:65532:") {
		t.Errorf("etc/passwd is %q", files["etc/passwd"].data)
	}
	if _, err := os.Stat(CABundle); err == nil && files[CABundle[1:]].Size == 0 {
		t.Errorf("the image has no %s", CABundle)
	}
	if _, ok := files["bin/sh"]; ok {
		t.Error("the production image has a shell")
	}
}

func checkConfig(t *testing.T, img v1.Image) {
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if c.User != "65532" || len(c.Entrypoint) != 1 || c.Entrypoint[0] != "/usr/local/bin/cairn" || cf.OS != "linux" || cf.Architecture != "amd64" {
		t.Errorf("config %+v on %s/%s", c, cf.OS, cf.Architecture)
	}
	for k, v := range map[string]string{
		"org.opencontainers.image.version":  "v9.8.7-test",
		"org.opencontainers.image.revision": "0123456789ab",
		"org.opencontainers.image.source":   "https://github.com/cairn-backup/cairn",
	} {
		if c.Labels[k] != v {
			t.Errorf("label %s is %q, want %q", k, c.Labels[k], v)
		}
	}
}

// tarFile is one entry of the layer.
type tarFile struct {
	*tar.Header
	data []byte
}

func layerFiles(t *testing.T, img v1.Image) map[string]tarFile {
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("layers %d: %v", len(layers), err)
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	files := map[string]tarFile{}
	for tr := tar.NewReader(rc); ; {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = tarFile{h, data}
	}
}

// TestWriteRefusesABadTag: a ref that is not a tag is named in the error.
func TestWriteRefusesABadTag(t *testing.T) {
	img, err := Assemble(Config(Stamp{}))
	if err != nil {
		t.Fatal(err)
	}
	err = Write(filepath.Join(t.TempDir(), "x.tar"), img, "ghcr.io/cairn-backup/cairn:Not A Tag")
	if err == nil || !strings.Contains(err.Error(), `"ghcr.io/cairn-backup/cairn:Not A Tag" is not a tag`) {
		t.Errorf("err %v", err)
	}
}

// TestBinaryNeedsARoot: without a root the build says which flag to set.
func TestBinaryNeedsARoot(t *testing.T) {
	_, err := Binary(context.Background(), Stamp{}, filepath.Join(t.TempDir(), "cairn"))
	if err == nil || !strings.Contains(err.Error(), "-root") {
		t.Errorf("err %v", err)
	}
}
