package backendtest

import (
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
)

// testLocation checks that the backend describes itself.
func testLocation(t *testing.T, be backend.Backend) {
	if be.Location() == "" {
		t.Fatal("Location() is empty")
	}
}

// testRoundTrip saves files of several sizes and types and reads them back.
func testRoundTrip(t *testing.T, be backend.Backend) {
	cases := []struct {
		name string
		ft   backend.FileType
		size int
	}{
		{"empty", backend.SnapshotFile, 0},
		{"one byte", backend.LockFile, 1},
		{"small key", backend.KeyFile, 457},
		{"small index", backend.IndexFile, 4096},
		{"small pack", backend.PackFile, 12345},
		{"20 MiB pack", backend.PackFile, 20 << 20},
	}
	for i, c := range cases {
		data := randomData(uint64(100+i), c.size)
		h := save(t, be, c.ft, data)
		wantContent(t, be, h, data)
		fi, err := be.Stat(t.Context(), h)
		if err != nil {
			t.Fatalf("%s: stat %v: %v", c.name, h, err)
		}
		if fi.Size != int64(c.size) {
			t.Errorf("%s: Stat(%v).Size = %d, want %d", c.name, h, fi.Size, c.size)
		}
	}
}

// testStat checks Stat's name and size for every file type.
func testStat(t *testing.T, be backend.Backend) {
	for i, ft := range backend.FileTypes {
		size := 10 + 300*i
		h := save(t, be, ft, randomData(uint64(200+i), size))
		fi, err := be.Stat(t.Context(), h)
		if err != nil {
			t.Fatalf("stat %v: %v", h, err)
		}
		if fi.Size != int64(size) || fi.Name != h.Name {
			t.Errorf("Stat(%v) = {Name: %q, Size: %d}, want {Name: %q, Size: %d}",
				h, fi.Name, fi.Size, h.Name, size)
		}
	}
}

// testOverwrite saves a name twice; the second contents win.
func testOverwrite(t *testing.T, be backend.Backend) {
	first := randomData(300, 5000)
	h := save(t, be, backend.IndexFile, first)
	second := randomData(301, 1234)
	if err := be.Save(t.Context(), h, second); err != nil {
		t.Fatalf("overwriting %v: %v", h, err)
	}
	wantContent(t, be, h, second)
	fi, err := be.Stat(t.Context(), h)
	if err != nil {
		t.Fatalf("stat %v: %v", h, err)
	}
	if fi.Size != int64(len(second)) {
		t.Errorf("Stat(%v).Size after overwrite = %d, want %d", h, fi.Size, len(second))
	}
	if got := listAll(t, be, backend.IndexFile); len(got) != 1 {
		t.Errorf("List(index) after overwrite = %v, want one file", got)
	}
}

// testConfig checks the config file: it has no name, is found by Stat and
// Load, and is never listed.
func testConfig(t *testing.T, be backend.Backend) {
	h := backend.Handle{Type: backend.ConfigFile}
	if _, err := be.Stat(t.Context(), h); !backend.IsNotExist(err) {
		t.Fatalf("stat of config in an empty backend: err = %v, want ErrNotExist", err)
	}
	data := randomData(400, 219)
	if err := be.Save(t.Context(), h, data); err != nil {
		t.Fatalf("saving config: %v", err)
	}
	wantContent(t, be, h, data)
	fi, err := be.Stat(t.Context(), h)
	if err != nil {
		t.Fatalf("stat config: %v", err)
	}
	if fi.Size != int64(len(data)) {
		t.Errorf("Stat(config).Size = %d, want %d", fi.Size, len(data))
	}
	for _, ft := range backend.FileTypes {
		if got := listAll(t, be, ft); len(got) != 0 {
			t.Errorf("List(%s) with only a config file = %v, want nothing", ft, got)
		}
	}
	if err := be.Remove(t.Context(), h); err != nil {
		t.Fatalf("removing config: %v", err)
	}
	if _, err := be.Stat(t.Context(), h); !backend.IsNotExist(err) {
		t.Errorf("stat of removed config: err = %v, want ErrNotExist", err)
	}
}
