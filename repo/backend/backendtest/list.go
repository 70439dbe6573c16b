package backendtest

import (
	"errors"
	"maps"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
)

// testList saves files of every type and checks that List reports exactly
// the files of the type asked for, with their sizes. Packs land in several
// two-hex subfolders.
func testList(t *testing.T, be backend.Backend) {
	for _, ft := range backend.FileTypes {
		if got := listAll(t, be, ft); len(got) != 0 {
			t.Fatalf("List(%s) of an empty backend = %v, want nothing", ft, got)
		}
	}
	if err := be.Save(t.Context(), backend.Handle{Type: backend.ConfigFile}, []byte("config")); err != nil {
		t.Fatalf("saving config: %v", err)
	}
	want := make(map[backend.FileType]map[string]int64)
	seed := uint64(700)
	for i, ft := range backend.FileTypes {
		want[ft] = make(map[string]int64)
		count := 3 + i
		if ft == backend.PackFile {
			count = 12 // spreads over (almost certainly) 12 subfolders
		}
		for j := range count {
			seed++
			data := randomData(seed, 50*j+i)
			h := save(t, be, ft, data)
			want[ft][h.Name] = int64(len(data))
		}
	}
	for _, ft := range backend.FileTypes {
		got := listAll(t, be, ft)
		if !maps.Equal(got, want[ft]) {
			t.Errorf("List(%s) = %v\nwant %v", ft, got, want[ft])
		}
	}
}

// testListStopsAtError checks that List stops at, and returns, the first
// error its callback returns.
func testListStopsAtError(t *testing.T, be backend.Backend) {
	for i := range 5 {
		save(t, be, backend.SnapshotFile, randomData(uint64(800+i), 10))
	}
	errStop := errors.New("stop here")
	calls := 0
	err := be.List(t.Context(), backend.SnapshotFile, func(backend.FileInfo) error {
		calls++
		if calls == 2 {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) {
		t.Errorf("List returned %v, want the callback's error", err)
	}
	if calls != 2 {
		t.Errorf("List called its callback %d times, want it to stop after 2", calls)
	}
}
