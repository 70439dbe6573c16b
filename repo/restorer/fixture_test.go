package restorer_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var fixtureDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureDir != "" {
		_ = os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// variant is a repository restic wrote of the fixture tree.
type variant struct {
	name string
	init []string
	back []string
	dir  string
}

var (
	fixtureOnce sync.Once
	fixtureSrc  string
	variants    = []*variant{
		{name: "v2-auto", back: []string{"--tag", "t1,t2"}},
		{name: "v2-off", back: []string{"--compression", "off"}},
		{name: "v1", init: []string{"--repository-version", "1"}},
	}
)

// fixture returns the source tree and the restic repositories of it,
// built once per test binary.
func fixture(t *testing.T) (string, []*variant) {
	t.Helper()
	bin := resticBinary(t)
	fixtureOnce.Do(func() {
		var err error
		fixtureDir, err = os.MkdirTemp("", "cairn-restorer-")
		if err != nil {
			t.Fatal(err)
		}
		fixtureSrc = makeSource(t, fixtureDir)
		for _, v := range variants {
			v.dir = filepath.Join(fixtureDir, "repo-"+v.name)
			restic(t, bin, v.dir, append([]string{"init"}, v.init...)...)
			restic(t, bin, v.dir, append(append([]string{"backup", "--host", "testhost"}, v.back...), fixtureSrc)...)
		}
	})
	if fixtureSrc == "" || variants[len(variants)-1].dir == "" {
		t.Fatal("fixture setup failed earlier")
	}
	return fixtureSrc, variants
}
