package restore_test

import (
	"context"
	"testing"

	"github.com/cairn-backup/cairn/activities/resources/backup"
	"github.com/cairn-backup/cairn/activities/resources/filter"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/activities/resources/restore"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/tests/testbed"
)

func TestMain(m *testing.M) { testbed.Main(m) }

// harness is a test's repository and record store.
type harness struct {
	*env
	repo  *repo.Repository
	store metadata.Store
}

func newHarness(t testing.TB) *harness {
	e := newEnv(t)
	ds, err := metadata.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &harness{env: e, repo: repo.TestRepository(t, 2), store: metadata.Store{Objects: ds}}
}

func (h *harness) backupOpts(name string, spec filter.Spec) backup.Options {
	return backup.Options{Name: name, Spec: spec, Client: h.dyn, Discovery: h.kube.Discovery(), Repo: h.repo, Store: h.store}
}

func (h *harness) backup(t testing.TB, name string, spec filter.Spec) backup.Result {
	t.Helper()
	res, err := backup.Run(context.Background(), h.backupOpts(name, spec))
	if err != nil {
		t.Fatalf("backup %s: %v", name, err)
	}
	if res.Phase != metadata.PhaseCompleted {
		results, _ := h.store.GetBackupResults(context.Background(), name)
		t.Fatalf("backup %s is %s: %+v", name, res.Phase, results)
	}
	return res
}

func (h *harness) restoreOpts(name, backupName string) restore.Options {
	return restore.Options{Name: name, BackupName: backupName, Client: h.dyn, Discovery: h.kube.Discovery(), Repo: h.repo, Store: h.store}
}

func (h *harness) restore(t testing.TB, opts restore.Options) (restore.Result, metadata.Results) {
	t.Helper()
	res, err := restore.Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("restore %s: %v", opts.Name, err)
	}
	results, err := h.store.GetRestoreResults(context.Background(), opts.Name)
	if err != nil {
		t.Fatal(err)
	}
	return res, results
}
