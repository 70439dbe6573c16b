package e2e

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/workflows"
)

// TestTTLExpiry backs up with --ttl 5s and waits for the garbage
// collection, on a 2 s Temporal Schedule, to delete the backup: its
// records, its resources snapshot, a pod volume snapshot in its
// namespace's repository and its workflow. A backup with the default TTL
// stays.
func TestTTLExpiry(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	env := newCairnEnv(t, ctx, "cairn-ttl", 2*time.Second)
	t.Cleanup(func() {
		// Leave the schedule to the next worker to create, at its own frequency.
		c, err := client.Dial(client.Options{HostPort: env.bed.Temporal.HostPort(), Namespace: env.bed.Temporal.Namespace()})
		if err == nil {
			_ = c.ScheduleClient().GetHandle(context.Background(), workflows.GCScheduleID).Delete(context.Background())
			c.Close()
		}
	})
	createApp(t, ctx, env.bed, "ttl-app")

	// What a node agent leaves: pod volume snapshots in the namespace's repository.
	addPodVolumeSnapshot(t, ctx, env.storage, "ttl-app", "short-lived")
	addPodVolumeSnapshot(t, ctx, env.storage, "ttl-app", "keeper")
	cairn(t, ctx, 0, "backup", "create", "keeper", "--include-namespaces", "ttl-app", "--wait")
	cairn(t, ctx, 0, "backup", "create", "short-lived", "--include-namespaces", "ttl-app", "--ttl", "5s", "--wait")
	records, err := env.storage.Records()
	if err != nil {
		t.Fatal(err)
	}

	eventually(t, ctx, "the expired backup is deleted", func() error {
		if _, err := records.GetBackup(ctx, "short-lived"); !errors.Is(err, metadata.ErrBackupNotFound) {
			return fmt.Errorf("the record is still there (%v)", err)
		}
		return nil
	})
	var res workflows.DeleteResult
	c, err := client.Dial(client.Options{HostPort: env.bed.Temporal.HostPort(), Namespace: env.bed.Temporal.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.GetWorkflow(ctx, workflows.DeleteID("short-lived"), "").Get(ctx, &res); err != nil {
		t.Fatal(err)
	}
	if res.Phase != workflows.PhaseCompleted || res.Snapshots != 2 {
		t.Errorf("deletion %+v", res)
	}
	if keys, err := records.Objects.List(ctx, "backups/short-lived/"); err != nil || len(keys) != 0 {
		t.Errorf("files left: %v, %v", keys, err)
	}
	for dir, want := range map[string][]string{
		activities.ResourcesRepoDir:            {"backup=keeper"},
		activities.NamespaceRepoDir("ttl-app"): {"backup=keeper"},
	} {
		if got := backupTags(t, ctx, env.storage, dir); !slices.Equal(got, want) {
			t.Errorf("%s: snapshots of %v, want %v", dir, got, want)
		}
	}
	eventually(t, ctx, "backup get forgets the backup", func() error {
		if _, _, errOut := cairnRun(ctx, "backup", "get", "short-lived"); !strings.Contains(errOut, "not found") {
			return fmt.Errorf("backup get short-lived: %s", errOut)
		}
		return nil
	})
	if b, err := findBackup(t, ctx, "keeper"); err != nil || b.Phase != workflows.PhaseCompleted {
		t.Errorf("keeper: %+v, %v", b, err)
	}
	if _, err := records.GetBackup(ctx, "keeper"); err != nil {
		t.Errorf("keeper's record: %v", err)
	}
	// The name is free again.
	cairn(t, ctx, 0, "backup", "create", "short-lived", "--include-namespaces", "ttl-app", "--wait")
}

// addPodVolumeSnapshot saves a snapshot tagged as a node agent tags a pod
// volume's in the repository of namespace ns.
func addPodVolumeSnapshot(t *testing.T, ctx context.Context, st activities.Storage, ns, backup string) {
	t.Helper()
	r, closeRepo, err := st.OpenRepoAt(ctx, activities.NamespaceRepoDir(ns), true, repo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeRepo()
	tree := repo.Hash([]byte(backup))
	if _, err := r.SaveSnapshot(ctx, &repo.Snapshot{Time: time.Now(), Tree: &tree, Hostname: "cairn", Paths: []string{"/data"},
		Tags: []string{"backup=" + backup, "ns=" + ns, "pod=web-0", "volume=data", "pvc=data"}}); err != nil {
		t.Fatal(err)
	}
}

// backupTags lists the backup= tags of the snapshots in folder dir of st.
func backupTags(t *testing.T, ctx context.Context, st activities.Storage, dir string) []string {
	t.Helper()
	r, closeRepo, err := st.OpenRepoAt(ctx, dir, false, repo.Options{NoIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	defer closeRepo()
	sns, err := r.ListSnapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, sn := range sns {
		for _, tag := range sn.Tags {
			if strings.HasPrefix(tag, "backup=") {
				tags = append(tags, tag)
			}
		}
	}
	slices.Sort(tags)
	return tags
}
