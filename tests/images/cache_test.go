package images

import (
	"context"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestSecondBuildReusesTheTarballs(t *testing.T) {
	first := built(t)
	stamps := modTimes(t, first)
	start := time.Now()
	again, err := Build(context.Background(), testOptions(shared.dir))
	warm := time.Since(start)
	t.Logf("cold Build: %v, warm Build: %v", shared.cold, warm)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(first, again, sameImage) {
		t.Fatalf("the second Build returned %v, the first %v", again, first)
	}
	if later := modTimes(t, again); !slices.Equal(stamps, later) {
		t.Errorf("the second Build rewrote tarballs: modification times %v, then %v", stamps, later)
	}
	if warm > 5*time.Second {
		t.Errorf("the second Build took %v", warm)
	}
}

func TestConcurrentBuildsShareADir(t *testing.T) {
	built(t) // the binaries' build cache is warm: what is left is the images
	dir := t.TempDir()
	var wg sync.WaitGroup
	results := make([][]Image, 2)
	errs := make([]error, 2)
	for i := range results {
		wg.Go(func() { results[i], errs[i] = Build(context.Background(), testOptions(dir)) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("Build: %v, %v", errs[0], errs[1])
	}
	if !slices.EqualFunc(results[0], results[1], sameImage) {
		t.Fatalf("two Builds returned %v and %v", results[0], results[1])
	}
	for _, img := range results[0] {
		if _, err := load(t, img.Tarball).Manifest(); err != nil {
			t.Errorf("%s: %v", img.Tarball, err)
		}
	}
}

func TestKeyFollowsEveryInput(t *testing.T) {
	base := func() recipe {
		return recipe{name: "x", refs: []string{"x:1"}, config: v1.Config{Cmd: []string{"sh"}},
			layers: []layer{{file("a", 0o644, []byte("a")), dir("d", 0o755)}}}
	}
	changes := map[string]func(*recipe){
		"ref":     func(r *recipe) { r.refs = []string{"x:2"} },
		"config":  func(r *recipe) { r.config.Cmd = []string{"ash"} },
		"content": func(r *recipe) { r.layers[0][0].data = []byte("b") },
		"mode":    func(r *recipe) { r.layers[0][1].mode |= os.ModeSticky },
		"owner":   func(r *recipe) { r.layers[0][1].uid = 1 },
		"layers":  func(r *recipe) { r.layers = append(r.layers, layer{}) },
	}
	key := base().key()
	if key != base().key() {
		t.Fatal("the same recipe has two keys")
	}
	for what, change := range changes {
		r := base()
		change(&r)
		if r.key() == key {
			t.Errorf("a change of %s keeps the key", what)
		}
	}
}

// sameImage compares two built images.
func sameImage(a, b Image) bool {
	return a.Tarball == b.Tarball && slices.Equal(a.Refs, b.Refs)
}

// modTimes lists the modification times of the images' tarballs.
func modTimes(t *testing.T, imgs []Image) []time.Time {
	var out []time.Time
	for _, img := range imgs {
		fi, err := os.Stat(img.Tarball)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fi.ModTime())
	}
	return out
}
