package e2e

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/workflows"
)

// TestBackupDeleteRestore runs the seed's walkthrough through Temporal: back
// up nginx-example, delete it, restore it, compare, and check that no
// workflow history holds a secret.
func TestBackupDeleteRestore(t *testing.T) {
	bed := testbed.ForTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	started := time.Now()
	cairnNS := "cairn-e2e"
	store := bed.InstallCairn(t, ctx, cairnNS, "e2e")

	metrics := startWorker(t, ctx, bed, store)
	createNginx(t, bed.Kube)
	before := snapshotApp(t, bed)

	cairn(t, ctx, 0, "backup", "create", "nginx-backup", "--include-namespaces", appNamespace, "--wait")
	out := cairn(t, ctx, 0, "backup", "describe", "nginx-backup", "--details")
	for _, want := range []string{"Phase:  Completed", "Included:  nginx-example", "v1/Secret:", "nginx-example/nginx-auth", "apps/v1/Deployment:"} {
		if !strings.Contains(out, want) {
			t.Errorf("describe lacks %q:\n%s", want, out)
		}
	}
	if out := cairn(t, ctx, 0, "backup", "get"); !strings.Contains(out, "nginx-backup") || !strings.Contains(out, "Completed") {
		t.Errorf("backup get:\n%s", out)
	}
	// The name is taken now.
	cairn(t, ctx, 1, "backup", "create", "nginx-backup", "--include-namespaces", appNamespace)

	deleteNamespace(t, ctx, bed, appNamespace)
	cairn(t, ctx, 0, "restore", "create", "nginx-restore", "--from-backup", "nginx-backup", "--wait")
	if out := cairn(t, ctx, 0, "restore", "describe", "nginx-restore"); !strings.Contains(out, "Phase:                       Completed") {
		t.Errorf("restore describe:\n%s", out)
	}
	if out := cairn(t, ctx, 0, "restore", "get", "-o", "json"); !strings.Contains(out, `"backupName": "nginx-backup"`) {
		t.Errorf("restore get -o json:\n%s", out)
	}
	if out := cairn(t, ctx, 0, "restore", "logs", "nginx-restore"); !strings.Contains(out, "restoring backup nginx-backup as nginx-restore") {
		t.Errorf("restore logs:\n%s", out)
	} else {
		wantItemLine(t, out, "Restored item", "deployments.apps", appNamespace, "nginx-deployment", started)
	}
	if out := cairn(t, ctx, 0, "backup", "logs", "nginx-backup"); !strings.Contains(out, "starting backup nginx-backup") {
		t.Errorf("backup logs:\n%s", out)
	} else {
		wantItemLine(t, out, "Backed up item", "deployments.apps", appNamespace, "nginx-deployment", started)
		wantItemLine(t, out, "Backed up item", "persistentvolumeclaims", appNamespace, "nginx-logs", started)
	}
	// The restore's record, for after Temporal's retention.
	if rec := restoreRecord(t, ctx, store, "nginx-restore"); rec.Spec.BackupName != "nginx-backup" || rec.Status.Phase != "Completed" ||
		rec.Status.ItemsCreated == 0 || rec.Status.StartTimestamp == nil || rec.Status.CompletionTimestamp == nil {
		t.Errorf("restore record %+v", rec)
	}
	after := snapshotApp(t, bed)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: before %s, after %s", k, v, after[k])
		}
	}

	loc, err := store.Get(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	password, err := store.Password(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	bed.CheckHistories(t, ctx, map[string]string{
		"the Secret's value": secretValue, "the S3 secret key": bed.S3.SecretKey, "the repository password": password,
	}, workflows.BackupID("nginx-backup"), workflows.RestoreID("nginx-restore"))

	// Velero's metrics, under Velero's names: one backup (the second
	// create was refused before it started) and one restore.
	got := testbed.Scrape(t, metrics)
	for k, v := range map[string]float64{
		`velero_backup_attempt_total{schedule=""}`: 1, `velero_backup_success_total{schedule=""}`: 1,
		`velero_backup_duration_seconds_count{schedule=""}`: 1, `velero_restore_attempt_total{schedule=""}`: 1,
		`velero_restore_success_total{schedule=""}`: 1, `velero_backup_last_status{schedule=""}`: 1,
	} {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

// startWorker runs the worker in-process until the test ends and returns
// its metrics address.
func startWorker(t *testing.T, ctx context.Context, bed *testbed.Bed, store *locations.Store) string {
	t.Helper()
	wctx, stop := context.WithCancel(ctx)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- worker.Run(wctx, worker.Config{
			MetricsAddress: "127.0.0.1:0", Kube: bed.RESTConfig,
			Locations: activities.KubeLocations{Store: store},
			Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
			Ready:     func(addr string) { ready <- addr },
		})
	}()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	})
	select {
	case addr := <-ready:
		return addr
	case err := <-done:
		t.Fatalf("worker: %v", err)
	}
	return ""
}

// cairn runs the CLI and checks its exit code.
func cairn(t *testing.T, ctx context.Context, wantCode int, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Run(ctx, args, &out, &errOut); code != wantCode {
		t.Fatalf("cairn %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, wantCode, out.String(), errOut.String())
	}
	return out.String()
}

func deleteNamespace(t *testing.T, ctx context.Context, bed *testbed.Bed, ns string) {
	t.Helper()
	if err := bed.DeleteNamespace(ctx, ns); err != nil {
		t.Fatal(err)
	}
}

// restoreRecord reads the record of restore name from the default location.
func restoreRecord(t *testing.T, ctx context.Context, store *locations.Store, name string) *metadata.Restore {
	t.Helper()
	st, err := activities.KubeLocations{Store: store}.Resolve(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	records, err := st.Records()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := records.GetRestore(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// wantItemLine wants log to have Velero's line for one item, msg with its
// resource, namespace and name, stamped with a time since started.
func wantItemLine(t *testing.T, log, msg, resource, ns, name string, started time.Time) {
	t.Helper()
	re := regexp.MustCompile(`(?m)^time="([^"]+)" level=info msg="` + regexp.QuoteMeta(msg) + `" resource=` + regexp.QuoteMeta(resource) +
		` namespace=` + regexp.QuoteMeta(ns) + ` name=` + regexp.QuoteMeta(name) + `$`)
	m := re.FindStringSubmatch(log)
	if m == nil {
		t.Errorf("the log has no line %q for %s %s/%s:\n%s", msg, resource, ns, name, log)
		return
	}
	at, err := time.Parse(time.RFC3339, m[1])
	if err != nil || at.Before(started.Truncate(time.Second)) || at.After(time.Now()) {
		t.Errorf("the line of %s %s/%s is stamped %s (%v), not within the test", resource, ns, name, m[1], err)
	}
}
