package podvolume

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDir(t *testing.T) {
	pods := t.TempDir()
	csi := filepath.Join(pods, "uid1", "volumes", "kubernetes.io~csi", "pv-1", "mount")
	empty := filepath.Join(pods, "uid1", "volumes", "kubernetes.io~empty-dir", "cache")
	nfs := filepath.Join(pods, "uid1", "volumes", "kubernetes.io~nfs", "pv-2")
	for _, d := range []string{csi, empty, nfs} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]string{"pv-1": csi, "cache": empty, "pv-2": nfs} {
		if got, err := Dir(pods, "uid1", name); err != nil || got != want {
			t.Errorf("Dir(%s) = %s, %v; want %s", name, got, err, want)
		}
	}
	if _, err := Dir(pods, "uid1", "missing"); err == nil || !strings.Contains(err.Error(), "is not mounted") {
		t.Errorf("missing volume: %v", err)
	}
	if _, err := Dir(pods, "uid2", "x"); err == nil || !strings.Contains(err.Error(), "--pods-dir") {
		t.Errorf("missing pod: %v", err)
	}
	if _, err := Dir(pods, "../uid1", "x"); err == nil {
		t.Error("a path in the pod uid was accepted")
	}
}

func TestMarkers(t *testing.T) {
	dirs := []string{t.TempDir(), t.TempDir()}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := WaitMarkers(ctx, dirs, "r1", time.Millisecond); err == nil {
		t.Fatal("waited without markers")
	}
	for _, d := range dirs {
		if err := WriteMarker(d, "r1"); err != nil {
			t.Fatal(err)
		}
	}
	if err := WaitMarkers(context.Background(), dirs, "r1", time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := RemoveMarkers(dirs); err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, MarkerDir)); !os.IsNotExist(err) {
			t.Errorf("marker folder left in %s", d)
		}
	}
}
