package backendtest

import (
	"context"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
)

// testCancelledContext calls every method with a cancelled context: each must
// fail, and neither Save nor Remove may take effect.
func testCancelledContext(t *testing.T, be backend.Backend) {
	kept := save(t, be, backend.SnapshotFile, randomData(1200, 777))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	notSaved := backend.Handle{Type: backend.SnapshotFile, Name: nameOf([]byte("not saved"))}
	if err := be.Save(ctx, notSaved, []byte("not saved")); err == nil {
		t.Error("Save with a cancelled context succeeded")
	}
	if err := be.Save(ctx, kept, []byte("overwritten")); err == nil {
		t.Error("Save over an existing file with a cancelled context succeeded")
	}
	if rd, err := be.Load(ctx, kept, 0, 0); err == nil {
		rd.Close()
		t.Error("Load with a cancelled context succeeded")
	}
	if _, err := be.Stat(ctx, kept); err == nil {
		t.Error("Stat with a cancelled context succeeded")
	}
	calls := 0
	err := be.List(ctx, backend.SnapshotFile, func(backend.FileInfo) error { calls++; return nil })
	if err == nil {
		t.Errorf("List with a cancelled context succeeded after %d callbacks", calls)
	}
	if err := be.Remove(ctx, kept); err == nil {
		t.Error("Remove with a cancelled context succeeded")
	}

	if _, err := be.Stat(t.Context(), notSaved); !backend.IsNotExist(err) {
		t.Errorf("after a cancelled Save, stat %v: err = %v, want ErrNotExist", notSaved, err)
	}
	wantContent(t, be, kept, randomData(1200, 777))
}
