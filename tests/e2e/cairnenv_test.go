package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/workflows"
)

// cairnEnv is Cairn installed in a namespace of its own on the test bed:
// a default location on the bucket under a prefix of its own, the CLI's
// environment, and an in-process worker.
type cairnEnv struct {
	bed     *testbed.Bed
	ns      string
	store   *locations.Store
	storage activities.Storage // the default location
	metrics string             // the worker's metrics address
}

// newCairnEnv installs Cairn in namespace ns, with its default location at
// prefix ns of the bucket, and runs a worker whose garbage collection runs
// every gc until the test ends.
func newCairnEnv(t *testing.T, ctx context.Context, ns string, gc time.Duration) *cairnEnv {
	t.Helper()
	bed := testbed.ForTest(t)
	store := bed.InstallCairn(t, ctx, ns, ns)
	locs := activities.KubeLocations{Store: store}
	st, err := locs.Resolve(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- worker.Run(wctx, worker.Config{
			Kube: bed.RESTConfig, Locations: locs, GCFrequency: gc, MetricsAddress: "127.0.0.1:0",
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Ready:  func(addr string) { ready <- addr },
		})
	}()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	})
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("worker: %v", err)
	}
	return &cairnEnv{bed: bed, ns: ns, store: store, storage: st, metrics: addr}
}

// createApp creates namespace ns holding one ConfigMap: a small thing to
// back up.
func createApp(t *testing.T, ctx context.Context, bed *testbed.Bed, ns string) {
	t.Helper()
	if _, err := bed.Kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := bed.Kube.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "settings", Labels: map[string]string{"app": ns}},
		Data:       map[string]string{"mode": "test"},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// eventually calls check every 250 ms until it returns nil or ctx ends.
func eventually(t *testing.T, ctx context.Context, what string, check func() error) {
	t.Helper()
	for {
		err := check()
		if err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: %v", what, err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// cairnRun runs the CLI and returns its exit code and outputs.
func cairnRun(ctx context.Context, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := cli.Run(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// backups returns the names and phases of the backups `cairn backup get
// -o json` lists.
func backups(t *testing.T, ctx context.Context) []workflows.BackupResult {
	t.Helper()
	list, err := decodeBackups(cairn(t, ctx, 0, "backup", "get", "-o", "json"))
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// decodeBackups reads the names and phases of what `backup get -o json`
// prints: one velero.io/v1 Backup, or a BackupList.
func decodeBackups(out string) ([]workflows.BackupResult, error) {
	var one velerov1.Backup
	if err := json.Unmarshal([]byte(out), &one); err != nil {
		return nil, err
	}
	items := []velerov1.Backup{one}
	if one.Kind != "Backup" {
		var list velerov1.BackupList
		if err := json.Unmarshal([]byte(out), &list); err != nil || list.Kind != "BackupList" {
			return nil, fmt.Errorf("neither a Backup nor a BackupList (%v):\n%s", err, out)
		}
		items = list.Items
	}
	res := make([]workflows.BackupResult, len(items))
	for i, b := range items {
		res[i] = workflows.BackupResult{Name: b.Name, Phase: string(b.Status.Phase)}
	}
	return res, nil
}
