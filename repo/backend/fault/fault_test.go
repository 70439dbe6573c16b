package fault_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/backendtest"
	"github.com/cairn-backup/cairn/repo/backend/fault"
	"github.com/cairn-backup/cairn/repo/backend/mem"
)

func TestSuiteWithoutFaults(t *testing.T) {
	backendtest.Run(t, func(*testing.T) backend.Backend { return fault.New(mem.New()) })
}

func handle(ft backend.FileType, name string) backend.Handle {
	return backend.Handle{Type: ft, Name: name}
}

func TestFailSave(t *testing.T) {
	be := fault.New(mem.New())
	be.FailSave(2)
	for i, name := range []string{"a1", "b2", "c3"} {
		err := be.Save(t.Context(), handle(backend.KeyFile, name), []byte(name))
		if failed := i == 1; failed != errors.Is(err, fault.ErrInjected) {
			t.Errorf("save %d: err = %v, want injected failure: %v", i+1, err, failed)
		}
	}
	if _, err := be.Stat(t.Context(), handle(backend.KeyFile, "b2")); !backend.IsNotExist(err) {
		t.Errorf("the failed save stored its file: stat = %v", err)
	}
	if got := be.Calls(fault.OpSave); got != 3 {
		t.Errorf("Calls(save) = %d, want 3", got)
	}
}

func TestFailLoad(t *testing.T) {
	be := fault.New(mem.New())
	h := handle(backend.IndexFile, "i1")
	if err := be.Save(t.Context(), h, []byte("index")); err != nil {
		t.Fatal(err)
	}
	be.FailLoad(1)
	be.FailLoad(3)
	for i := range 4 {
		_, err := backend.LoadAll(t.Context(), be, h)
		if failed := i == 0 || i == 2; failed != errors.Is(err, fault.ErrInjected) {
			t.Errorf("load %d: err = %v, want injected failure: %v", i+1, err, failed)
		}
	}
}

func TestFailSavesOfType(t *testing.T) {
	be := fault.New(mem.New())
	be.FailSaves(backend.LockFile)
	if err := be.Save(t.Context(), handle(backend.LockFile, "l1"), nil); !errors.Is(err, fault.ErrInjected) {
		t.Errorf("lock save: err = %v, want injected failure", err)
	}
	if err := be.Save(t.Context(), handle(backend.SnapshotFile, "s1"), nil); err != nil {
		t.Errorf("snapshot save: %v", err)
	}
	be.Reset()
	if err := be.Save(t.Context(), handle(backend.LockFile, "l1"), nil); err != nil {
		t.Errorf("lock save after Reset: %v", err)
	}
	be.FailSaves("")
	if err := be.Save(t.Context(), handle(backend.SnapshotFile, "s2"), nil); !errors.Is(err, fault.ErrInjected) {
		t.Errorf("with every type failing, snapshot save: err = %v, want injected failure", err)
	}
}

func TestTruncateLoads(t *testing.T) {
	be := fault.New(mem.New())
	data := []byte("0123456789")
	pack, index := handle(backend.PackFile, "p1"), handle(backend.IndexFile, "i1")
	for _, h := range []backend.Handle{pack, index} {
		if err := be.Save(t.Context(), h, data); err != nil {
			t.Fatal(err)
		}
	}
	be.TruncateLoads(backend.PackFile, 4)
	if got, err := backend.LoadAll(t.Context(), be, pack); err != nil || string(got) != "0123" {
		t.Errorf("truncated pack load = %q, %v; want \"0123\"", got, err)
	}
	if got, err := backend.LoadAll(t.Context(), be, index); err != nil || !bytes.Equal(got, data) {
		t.Errorf("index load = %q, %v; want it whole", got, err)
	}
	if fi, err := be.Stat(t.Context(), pack); err != nil || fi.Size != 10 {
		t.Errorf("Stat of a truncated-on-load pack = %v, %v; want its real size", fi, err)
	}
}

func TestCorruptLoads(t *testing.T) {
	be := fault.New(mem.New())
	data := []byte("0123456789")
	h := handle(backend.PackFile, "p1")
	if err := be.Save(t.Context(), h, data); err != nil {
		t.Fatal(err)
	}
	be.CorruptLoads("")
	rd, err := be.Load(t.Context(), h, 3, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	got := make([]byte, 10)
	n, _ := rd.Read(got)
	want := []byte{'3' ^ 0xff, '4', '5', '6'}
	if !bytes.Equal(got[:n], want) {
		t.Errorf("corrupted load of bytes 3..6 = %q, want %q", got[:n], want)
	}
	be.Reset()
	if got, err := backend.LoadAll(t.Context(), be, h); err != nil || !bytes.Equal(got, data) {
		t.Errorf("load after Reset = %q, %v; want it whole", got, err)
	}
}

func TestHook(t *testing.T) {
	be := fault.New(mem.New())
	type call struct {
		op fault.Op
		h  backend.Handle
	}
	var seen []call
	errBlocked := errors.New("blocked")
	be.SetHook(func(_ context.Context, op fault.Op, h backend.Handle) error {
		seen = append(seen, call{op, h})
		if op == fault.OpRemove {
			return errBlocked
		}
		return nil
	})
	h := handle(backend.SnapshotFile, "s1")
	ctx := t.Context()
	if err := be.Save(ctx, h, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := backend.LoadAll(ctx, be, h); err != nil {
		t.Fatal(err)
	}
	if _, err := be.Stat(ctx, h); err != nil {
		t.Fatal(err)
	}
	if err := be.List(ctx, backend.SnapshotFile, func(backend.FileInfo) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := be.Remove(ctx, h); !errors.Is(err, errBlocked) {
		t.Errorf("Remove with a blocking hook: err = %v, want the hook's error", err)
	}
	if _, err := be.Stat(ctx, h); err != nil {
		t.Errorf("the hook did not keep Remove from the backend: %v", err)
	}
	want := []call{
		{fault.OpSave, h}, {fault.OpLoad, h}, {fault.OpStat, h},
		{fault.OpList, backend.Handle{Type: backend.SnapshotFile}}, {fault.OpRemove, h}, {fault.OpStat, h},
	}
	if len(seen) != len(want) {
		t.Fatalf("hook saw %v, want %v", seen, want)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Errorf("hook call %d = %v, want %v", i, seen[i], want[i])
		}
	}
	be.SetHook(nil)
	if err := be.Remove(ctx, h); err != nil {
		t.Errorf("Remove after removing the hook: %v", err)
	}
}

func TestUnwrapAndLocation(t *testing.T) {
	inner := mem.New()
	be := fault.New(inner)
	if be.Unwrap() != inner {
		t.Error("Unwrap does not return the wrapped backend")
	}
	if be.Location() != "fault:"+inner.Location() {
		t.Errorf("Location() = %q", be.Location())
	}
}
