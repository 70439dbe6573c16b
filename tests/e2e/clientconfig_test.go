package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
)

// TestClientConfig: `cairn client config set` gives the CLI its namespace
// and Temporal, as Velero's does; an environment variable or a flag beats
// the file, and bad input changes nothing.
func TestClientConfig(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bed := testbed.ForTest(t)
	bed.InstallCairn(t, ctx, "cairn-clientconf", "cairn-clientconf")
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv(locations.NamespaceEnv, "")
	t.Setenv(worker.AddressEnv, "")

	if out := cairn(t, ctx, 0, "client", "config", "get"); out != "" {
		t.Errorf("an empty configuration prints %q", out)
	}
	cairn(t, ctx, 0, "client", "config", "set", "namespace=cairn-clientconf", "temporal-address="+bed.Temporal.HostPort())
	if out := cairn(t, ctx, 0, "client", "config", "get"); out != "namespace: cairn-clientconf\ntemporal-address: "+bed.Temporal.HostPort()+"\n" {
		t.Errorf("client config get:\n%s", out)
	}
	if out := cairn(t, ctx, 0, "client", "config", "get", "namespace", "cluster-name"); out != "namespace: cairn-clientconf\ncluster-name: <NOT SET>\n" {
		t.Errorf("client config get namespace cluster-name:\n%s", out)
	}
	// The CLI finds Cairn's namespace and Temporal from the file alone.
	if out := cairn(t, ctx, 0, "backup-location", "get", "default"); !strings.Contains(out, "default") {
		t.Errorf("backup-location get default in the configured namespace:\n%s", out)
	}
	cairn(t, ctx, 0, "backup", "get")
	// The variable and the flag beat the file.
	t.Setenv(locations.NamespaceEnv, "cairn-nowhere")
	cairn(t, ctx, 1, "backup-location", "get", "default")
	cairn(t, ctx, 0, "backup-location", "get", "default", "-n", "cairn-clientconf")
	t.Setenv(locations.NamespaceEnv, "")

	// Bad input is refused whole, and the file stays as it was.
	path := filepath.Join(home, "cairn", "config.json")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"cluster-name=east", "colour=on"},
		{"namespace=Bad_Name"},
		{"temporal-address"},
	} {
		code, _, errOut := cairnRun(ctx, append([]string{"client", "config", "set"}, args...)...)
		if code == 0 || errOut == "" {
			t.Errorf("client config set %v: exit %d, %q", args, code, errOut)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("refused input changed the file:\n%s", after)
	}
	// An empty value unsets a key.
	cairn(t, ctx, 0, "client", "config", "set", "temporal-address=")
	if out := cairn(t, ctx, 0, "client", "config", "get"); out != "namespace: cairn-clientconf\n" {
		t.Errorf("after unsetting temporal-address:\n%s", out)
	}
}
