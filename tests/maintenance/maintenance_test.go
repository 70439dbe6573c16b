package maintenance

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/workflows"
)

// The volume: four files of 16 MiB; each backup after the first rewrites
// two of them, so the repository grows by half the live data each time.
const (
	files    = 4
	fileSize = 16 << 20
	live     = files * fileSize
)

// TestMaintenanceAfterDeletions is the "done when": four backups
// of a namespace whose volume data changes between them, the deletion of
// the first three (which asks for a maintenance itself) and `cairn repo
// maintain --all --wait` leave the namespace repository within 1.25x of
// the live data, `restic check --read-data` passes, no lock is left, the
// remaining backup restores byte-identical, and a backup started during
// the maintenance (which first waits for a lock another tool holds) waits
// for it and completes. `cairn repo get` and the metrics report it.
func TestMaintenanceAfterDeletions(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	s := newStack(t, ctx, "cairn-maint")
	// The restore drops the pod's node name, as Velero's does, and the
	// scheduler may put it on any node: every node runs its agent.
	for _, n := range s.bed.Nodes {
		s.startAgent(t, ctx, n)
	}
	node := s.bed.Nodes[0]
	const ns = "maint"
	repoName := activities.RepositoryName("default", ns)
	dir := createApp(t, ctx, s.bed, ns, node)

	var kept map[string]string // the volume as the fourth backup saw it
	for k := 1; k <= 4; k++ {
		for f := range files {
			if k == 1 || f/2 == k%2 {
				writeRandom(t, dir, fmt.Sprintf("part-%d.bin", f), fileSize, uint64(10*k+f))
			}
		}
		cairn(t, ctx, 0, "backup", "create", fmt.Sprintf("b%d", k), "--include-namespaces", ns, "--wait")
		if k == 4 {
			var err error
			if kept, err = testbed.Digest(dir); err != nil {
				t.Fatal(err)
			}
		}
	}
	nsBackend := s.backend(t, ctx, ns)
	before := repoSize(t, ctx, nsBackend)
	t.Logf("after four backups: %.0f MiB stored for %.0f MiB of live data", mib(before), mib(live))

	// The deletions remove three of four snapshots: more than a quarter,
	// so they ask for the maintenance of the namespace repository.
	out := cairn(t, ctx, 0, "backup", "delete", "b1", "b2", "b3", "--confirm")
	for _, b := range []string{"b1", "b2", "b3"} {
		if !strings.Contains(out, fmt.Sprintf("Backup %q deleted: 2 snapshot(s) removed", b)) {
			t.Errorf("backup delete:\n%s", out)
		}
	}
	sc := &starter.Client{Temporal: dial(t)}
	var triggered workflows.RepoMaintenanceResult
	err := sc.Temporal.GetWorkflow(ctx, workflows.RepoMaintenanceID("default", ns), "").Get(ctx, &triggered)
	if err != nil && !workflows.ResultOf(err, &triggered) {
		t.Fatalf("the deletions started no maintenance of %s: %v", repoName, err)
	}
	// Two of the deletions may each ask for one (a request arriving while
	// a run works makes it pass once more), so the last run may find
	// nothing left to remove: judge them by the repository they leave.
	if pruned := repoSize(t, ctx, nsBackend); triggered.Phase != workflows.PhaseCompleted || pruned >= before {
		t.Fatalf("the maintenance the deletions asked for left %.1f MiB of %.1f MiB: %+v", mib(pruned), mib(before), triggered)
	}

	// Another tool holds the repository: the maintenance waits for it, as
	// does a backup started meanwhile, and both say whom they wait for.
	foreign := foreignLock(t, ctx, s, nsBackend)
	if err := sc.StartBackup(ctx, workflows.BackupInput{Name: "b5", Spec: activities.BackupSpec{IncludedNamespaces: []string{ns}}}); err != nil {
		t.Fatal(err)
	}
	cairn(t, ctx, 0, "repo", "maintain", "--all")
	eventually(t, ctx, "the maintenance waits for the other tool's lock", func() error {
		r := repositories(t, ctx)[repoName]
		if r.Phase != workflows.PhaseWaitingForLock || !strings.Contains(r.Message, "on restic-elsewhere") {
			return fmt.Errorf("repo get: %+v", r)
		}
		return nil
	})
	eventually(t, ctx, "the backup waits for the lock", func() error {
		b, err := sc.DescribeBackup(ctx, "b5")
		if err != nil || !strings.Contains(b.Waiting, "on restic-elsewhere") {
			return fmt.Errorf("backup %+v: %v", b, err)
		}
		return nil
	})
	if err := foreign.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	out = cairn(t, ctx, 0, "repo", "maintain", "--all", "--wait")
	if !strings.Contains(out, fmt.Sprintf("Repository %q maintained: ", repoName)) ||
		!strings.Contains(out, fmt.Sprintf("Repository %q maintained: ", activities.RepositoryName("default", activities.ResourcesRepository))) {
		t.Errorf("repo maintain --all --wait:\n%s", out)
	}
	b5, err := sc.WaitBackup(ctx, "b5")
	if err != nil || b5.Phase != workflows.PhaseCompleted {
		t.Fatalf("the backup started during the maintenance: %+v, %v", b5, err)
	}
	if n := timersIn(t, ctx, sc, workflows.BackupID("b5")); n == 0 {
		t.Error("the backup started during the maintenance did not wait on a timer")
	}

	after := repoSize(t, ctx, nsBackend)
	msg := fmt.Sprintf("maintenance: the namespace repository went from %.1f MiB to %.1f MiB for %.0f MiB of live data (%.2fx; limit 1.25x)",
		mib(before), mib(after), mib(live), float64(after)/live)
	t.Log(msg)
	if float64(after) > 1.25*live {
		t.Error(msg)
	}
	if locks := lockFiles(t, ctx, nsBackend); locks != 0 {
		t.Errorf("%d lock files left", locks)
	}
	if out := s.restic(t, ctx, ns, "check", "--read-data"); !strings.Contains(out, "no errors were found") {
		t.Errorf("restic check --read-data:\n%s", out)
	}
	checkReported(t, ctx, s, repoName, after)

	// The remaining backup restores byte-identical.
	if err := s.bed.DeleteNamespace(ctx, ns); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := cairnRun(ctx, "restore", "create", "r4", "--from-backup", "b4", "--wait"); code != 0 {
		_, details, detailsErr := cairnRun(ctx, "restore", "describe", "r4", "--details")
		t.Fatalf("cairn restore create r4 --from-backup b4 --wait: exit %d\n%s%s\n%s%s", code, out, errOut, details, detailsErr)
	}
	restoredDir, err := s.bed.PodVolumeDir(ctx, ns, "app", "data")
	if err != nil {
		t.Fatal(err)
	}
	restored, err := testbed.Digest(restoredDir)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(restored, kept) {
		t.Errorf("restored %v, backed up %v", restored, kept)
	}
}

// checkReported checks what `cairn repo get` and the metrics say of the
// repository after its maintenance. The record holds the last run's
// figures (the second maintenance finds nothing more to reclaim); the
// counter sums them.
func checkReported(t *testing.T, ctx context.Context, s *stack, name string, size int64) {
	t.Helper()
	r := repositories(t, ctx)[name]
	if r.Phase != metadata.RepositoryReady || r.LastResult != metadata.MaintenanceSucceeded || r.Namespace != "maint" ||
		r.Size == 0 || r.Size > uint64(size) || time.Since(r.LastMaintenance) > 5*time.Minute {
		t.Errorf("repo get: %+v", r)
	}
	if out := cairn(t, ctx, 0, "repo", "get", name); !strings.Contains(out, "RECLAIMED") || !strings.Contains(out, name+"  default") {
		t.Errorf("repo get %s:\n%s", name, out)
	}
	body := s.scrape(t)
	label := `repository_name="` + name + `"`
	for _, m := range []string{"velero_repo_maintenance_success_total", "cairn_repo_maintenance_bytes_removed_total",
		"cairn_repo_maintenance_last_success_timestamp_seconds", "velero_repo_maintenance_duration_seconds_count"} {
		if v, ok := metric(body, m, label); !ok || v <= 0 {
			t.Errorf("metric %s{%s} = %v (found: %v)", m, label, v, ok)
		}
	}
}

// foreignLock takes an exclusive lock on the repository on be as another
// host's restic would.
func foreignLock(t *testing.T, ctx context.Context, s *stack, be backend.Backend) *repo.Lock {
	t.Helper()
	r, err := repo.Open(ctx, be, s.password(t, ctx), repo.Options{NoIndex: true, Hostname: "restic-elsewhere"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	l, err := r.Lock(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Unlock(context.Background()) })
	return l
}

// repoSize is the stored size of a repository: packs, index and snapshots.
func repoSize(t *testing.T, ctx context.Context, be backend.Backend) int64 {
	t.Helper()
	var n int64
	for _, ft := range []backend.FileType{backend.PackFile, backend.IndexFile, backend.SnapshotFile} {
		b, _ := size(t, ctx, be, ft)
		n += b
	}
	return n
}

func lockFiles(t *testing.T, ctx context.Context, be backend.Backend) int {
	t.Helper()
	_, n := size(t, ctx, be, backend.LockFile)
	return n
}

// timersIn counts the timers in the history of workflow id.
func timersIn(t *testing.T, ctx context.Context, sc *starter.Client, id string) int {
	t.Helper()
	it := sc.Temporal.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	n := 0
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e.GetEventType() == enumspb.EVENT_TYPE_TIMER_STARTED {
			n++
		}
	}
	return n
}
