package backendtest

import (
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
)

// invalidHandles cannot name a file: every method must reject them.
var invalidHandles = []backend.Handle{
	{Type: backend.KeyFile, Name: ""},
	{Type: backend.PackFile, Name: ""},
	{Type: backend.KeyFile, Name: "../config"},
	{Type: backend.SnapshotFile, Name: "../x"},
	{Type: backend.PackFile, Name: "../x"},
	{Type: backend.IndexFile, Name: "a/b"},
	{Type: backend.LockFile, Name: `a\b`},
	{Type: backend.LockFile, Name: ".."},
	{Type: backend.LockFile, Name: "."},
	{Type: "bogus", Name: "abcd"},
	{Type: "", Name: "abcd"},
	{Type: "../keys", Name: "abcd"},
}

// testInvalidHandle checks that Save, Load, Stat and Remove reject invalid
// handles with an error that is not ErrNotExist, and touch nothing: a
// traversal such as "keys/../config" must not reach the config file.
func testInvalidHandle(t *testing.T, be backend.Backend) {
	config := []byte("the real config")
	if err := be.Save(t.Context(), backend.Handle{Type: backend.ConfigFile}, config); err != nil {
		t.Fatalf("saving config: %v", err)
	}
	ctx := t.Context()
	for _, h := range invalidHandles {
		if err := be.Save(ctx, h, []byte("bad")); err == nil {
			t.Errorf("Save(%#v) succeeded", h)
		}
		rd, err := be.Load(ctx, h, 0, 0)
		if err == nil {
			rd.Close()
		}
		wantRejected(t, "Load", h, err)
		_, err = be.Stat(ctx, h)
		wantRejected(t, "Stat", h, err)
		wantRejected(t, "Remove", h, be.Remove(ctx, h))
	}
	wantContent(t, be, backend.Handle{Type: backend.ConfigFile}, config)
	for _, ft := range backend.FileTypes {
		if got := listAll(t, be, ft); len(got) != 0 {
			t.Errorf("List(%s) after invalid saves = %v, want nothing", ft, got)
		}
	}
}

func wantRejected(t *testing.T, method string, h backend.Handle, err error) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("%s(%#v) succeeded, want it rejected", method, h)
	case backend.IsNotExist(err):
		t.Errorf("%s(%#v) = %v, want a rejection rather than ErrNotExist", method, h, err)
	}
}

// testInvalidListType checks that List rejects anything but backend.FileTypes.
func testInvalidListType(t *testing.T, be backend.Backend) {
	save(t, be, backend.KeyFile, []byte("a key"))
	for _, ft := range []backend.FileType{backend.ConfigFile, "bogus", "", "../keys", "keys/.."} {
		calls := 0
		err := be.List(t.Context(), ft, func(backend.FileInfo) error { calls++; return nil })
		if err == nil {
			t.Errorf("List(%q) succeeded with %d files, want it rejected", ft, calls)
		}
	}
}
