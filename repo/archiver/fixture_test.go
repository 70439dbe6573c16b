package archiver_test

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// randomBytes returns n deterministic pseudo-random bytes.
func randomBytes(seed uint64, n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), byte(seed >> 16), 1}).Read(b)
	return b
}

var words = []string{"cairn", "backup", "restic", "snapshot", "kubernetes", "volume", "the", "a", "of",
	"tree", "node", "blob", "pack", "index", "chunk", "stream", "pod", "namespace", "and", "to",
	"persistent", "claim", "storage", "class", "temporal", "workflow", "activity", "retry", "data", "is"}

// text returns n bytes of deterministic compressible text.
func text(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 42))
	var b bytes.Buffer
	b.Grow(n + 32)
	for b.Len() < n {
		b.WriteString(words[r.IntN(len(words))])
		if r.IntN(12) == 0 {
			b.WriteString(".\n")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.Bytes()[:n]
}

func write(t testing.TB, path string, data []byte, mode fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // umask
		t.Fatal(err)
	}
}

// makeFixture creates a tree with every kind of entry the archiver handles
// and returns the paths of the hard-linked pair.
func makeFixture(t testing.TB, dir string) {
	t.Helper()
	write(t, filepath.Join(dir, "empty"), nil, 0o644)
	write(t, filepath.Join(dir, "small.txt"), text(1, 1000), 0o644)
	write(t, filepath.Join(dir, "big.bin"), randomBytes(2, 10<<20+12345), 0o600)
	write(t, filepath.Join(dir, "a", "b", "c", "deep.txt"), text(3, 3<<20), 0o640)
	write(t, filepath.Join(dir, "setuid"), []byte("#!/bin/sh\n"), 0o755|fs.ModeSetuid)
	write(t, filepath.Join(dir, "ro"), []byte("read only"), 0o444)
	must(t, os.Mkdir(filepath.Join(dir, "emptydir"), 0o755))
	must(t, os.Mkdir(filepath.Join(dir, "private"), 0o700))
	write(t, filepath.Join(dir, "private", "secret"), []byte("secret"), 0o600)
	must(t, os.Symlink("small.txt", filepath.Join(dir, "link")))
	must(t, os.Symlink("nowhere", filepath.Join(dir, "dangling")))
	write(t, filepath.Join(dir, "hard1"), text(4, 5000), 0o644)
	must(t, os.Link(filepath.Join(dir, "hard1"), filepath.Join(dir, "hard2")))
	must(t, syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644))
	// sparse: a hole, some data, a hole
	f, err := os.Create(filepath.Join(dir, "sparse"))
	must(t, err)
	_, err = f.WriteAt(randomBytes(5, 4096), 3<<20)
	must(t, err)
	must(t, f.Truncate(5<<20))
	must(t, f.Close())
	// fixed mtimes, deepest first so directory times stick
	mt := time.Date(2021, 3, 4, 5, 6, 7, 890000000, time.UTC)
	for i, p := range []string{"a/b/c/deep.txt", "a/b/c", "a/b", "a", "small.txt", "big.bin", "emptydir", "sparse", "hard1"} {
		tm := mt.Add(time.Duration(i) * time.Hour)
		must(t, os.Chtimes(filepath.Join(dir, p), tm, tm))
	}
	must(t, os.Chtimes(dir, mt, mt))
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
