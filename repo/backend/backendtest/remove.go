package backendtest

import (
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
)

// testRemove removes a file; afterwards it is missing to every method and
// its neighbours are untouched.
func testRemove(t *testing.T, be backend.Backend) {
	for _, ft := range backend.FileTypes {
		keep := save(t, be, ft, randomData(900, 321))
		gone := save(t, be, ft, randomData(901, 123))
		if err := be.Remove(t.Context(), gone); err != nil {
			t.Fatalf("removing %v: %v", gone, err)
		}
		wantMissing(t, be, gone)
		got := listAll(t, be, ft)
		if _, ok := got[gone.Name]; ok || len(got) != 1 {
			t.Errorf("List(%s) after removing %v = %v, want only %s", ft, gone, got, keep.Name)
		}
		wantContent(t, be, keep, randomData(900, 321))
		if err := be.Remove(t.Context(), keep); err != nil {
			t.Fatalf("removing %v: %v", keep, err)
		}
	}
}

// testMissing checks that every method reports ErrNotExist for files that
// were never saved.
func testMissing(t *testing.T, be backend.Backend) {
	save(t, be, backend.KeyFile, []byte("a neighbour"))
	for _, ft := range backend.FileTypes {
		wantMissing(t, be, backend.Handle{Type: ft, Name: nameOf([]byte("never saved " + ft))})
	}
	wantMissing(t, be, backend.Handle{Type: backend.ConfigFile})
}

// wantMissing fails the test unless Load, Stat and Remove all report h as
// missing with an error that wraps backend.ErrNotExist.
func wantMissing(t *testing.T, be backend.Backend, h backend.Handle) {
	t.Helper()
	ctx := t.Context()
	rd, err := be.Load(ctx, h, 0, 0)
	if err == nil {
		rd.Close()
	}
	if !backend.IsNotExist(err) {
		t.Errorf("Load of missing %v: err = %v, want ErrNotExist", h, err)
	}
	rd, err = be.Load(ctx, h, 10, 5)
	if err == nil {
		rd.Close()
	}
	if !backend.IsNotExist(err) {
		t.Errorf("ranged Load of missing %v: err = %v, want ErrNotExist", h, err)
	}
	if _, err := be.Stat(ctx, h); !backend.IsNotExist(err) {
		t.Errorf("Stat of missing %v: err = %v, want ErrNotExist", h, err)
	}
	if err := be.Remove(ctx, h); !backend.IsNotExist(err) {
		t.Errorf("Remove of missing %v: err = %v, want ErrNotExist", h, err)
	}
}
