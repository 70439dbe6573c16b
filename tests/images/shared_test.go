package images

import (
	"archive/tar"
	"context"
	"io"
	"os"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// The images the tests share, built once per package run into shared.dir.
var shared struct {
	once   sync.Once
	dir    string
	images []Image
	cold   time.Duration
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// testOptions builds from this checkout into dir.
func testOptions(dir string) Options {
	return Options{Dir: dir, Root: "../.."}
}

// built returns the shared images, building them on first use.
func built(t *testing.T) []Image {
	t.Helper()
	shared.once.Do(func() {
		if shared.dir, shared.err = os.MkdirTemp("", "cairn-images-"); shared.err != nil {
			return
		}
		start := time.Now()
		shared.images, shared.err = Build(context.Background(), testOptions(shared.dir))
		shared.cold = time.Since(start)
	})
	if shared.err != nil {
		t.Fatalf("Build: %v", shared.err)
	}
	return shared.images
}

// imageWith returns the built image answering to ref.
func imageWith(t *testing.T, ref string) Image {
	t.Helper()
	for _, img := range built(t) {
		for _, r := range img.Refs {
			if r == ref {
				return img
			}
		}
	}
	t.Fatalf("no image answers to %s", ref)
	return Image{}
}

// load opens the one image of a tarball.
func load(t *testing.T, tarballPath string) v1.Image {
	t.Helper()
	img, err := tarball.ImageFromPath(tarballPath, nil)
	if err != nil {
		t.Fatalf("opening %s: %v", tarballPath, err)
	}
	return img
}

// fsEntry is a file of an image's flattened filesystem.
type fsEntry struct {
	hdr  *tar.Header
	data []byte
}

// filesOf flattens img's layers into its filesystem, keyed by path
// without a leading slash.
func filesOf(t *testing.T, img v1.Image) map[string]fsEntry {
	t.Helper()
	rc := mutate.Extract(img)
	defer rc.Close()
	files := map[string]fsEntry{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatalf("reading the image's filesystem: %v", err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("reading %s: %v", h.Name, err)
		}
		files[strings.TrimSuffix(path.Clean(strings.TrimPrefix(h.Name, "/")), "/")] = fsEntry{hdr: h, data: data}
	}
}

// extract writes the file p of the image answering to ref into a temporary
// folder, executable, and returns its path.
func extract(t *testing.T, ref, p string) string {
	t.Helper()
	f, ok := filesOf(t, load(t, imageWith(t, ref).Tarball))[p]
	if !ok {
		t.Fatalf("%s has no %s", ref, p)
	}
	out := t.TempDir() + "/" + path.Base(p)
	if err := os.WriteFile(out, f.data, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}
