package clientconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSaveLoad(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	c, err := Load()
	if err != nil || len(c) != 0 {
		t.Fatalf("no file: %v, %v", c, err)
	}
	c[Namespace], c[TemporalAddress] = "team-a", "temporal.example:7233"
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	got, err := Load()
	if err != nil || got[Namespace] != "team-a" || got[TemporalAddress] != "temporal.example:7233" || len(got) != 2 {
		t.Fatalf("loaded %v, %v", got, err)
	}
	path, _ := Path()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v, %v; want mode 0600", path, fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("the folder holds %d files, want only config.json", len(entries))
	}
}

// TestNoHome: a process without $HOME (a container) has an empty
// configuration, not an error that would stop `cairn server`.
func TestNoHome(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "")
	if c, err := Load(); err != nil || len(c) != 0 {
		t.Errorf("Load without $HOME: %v, %v", c, err)
	}
}

func TestBadFile(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	path, _ := Path()
	_ = os.MkdirAll(filepath.Dir(path), 0o700)
	if err := os.WriteFile(path, []byte(`{"namespace": 3}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "remove it") {
		t.Errorf("a file of the wrong shape: %v", err)
	}
}

func TestCheck(t *testing.T) {
	for _, ok := range [][2]string{{Namespace, "velero"}, {ClusterName, "prod-eu"}, {TemporalAddress, "127.0.0.1:7233"},
		{TemporalNamespace, "backups"}, {Namespace, ""}} {
		if err := Check(ok[0], ok[1]); err != nil {
			t.Errorf("%s=%s: %v", ok[0], ok[1], err)
		}
	}
	for _, bad := range [][3]string{
		{"colour", "on", "unknown client configuration key"},
		{"colorized", "false", "Velero's and means nothing to Cairn: Cairn prints no colours"},
		{Namespace, "Not_A_Name", `namespace="Not_A_Name"`},
		{ClusterName, "a/b", "cluster name"},
		{TemporalAddress, "no-port", "host:port"},
	} {
		if err := Check(bad[0], bad[1]); err == nil || !strings.Contains(err.Error(), bad[2]) {
			t.Errorf("%s=%s: %v, want an error naming %q", bad[0], bad[1], err, bad[2])
		}
	}
}
