package podvolumes

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/workflows"
)

const appNamespace = "nginx-example"

// TestWalkthrough is the seed's walkthrough with file-system backup of the
// nginx logs volume: apply the example, fill the volume (one log over 100
// MB), back up with --selector app=nginx, delete the namespace, restore it,
// and find every object back and the volume's files identical, with the
// real restic agreeing about the repository.
func TestWalkthrough(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	s := newStack(t, ctx, "cairn-walkthrough")
	s.startAgents(t, ctx, s.bed.Nodes...)

	root, err := testbed.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	kubectl, err := testbed.Tool("kubectl")
	if err != nil {
		t.Fatal(err)
	}
	apply := exec.CommandContext(ctx, kubectl, "--kubeconfig", s.bed.Kubeconfig, "apply", "-f", filepath.Join(root, "deploy/examples/nginx-with-pv.yaml"))
	if out, err := apply.CombinedOutput(); err != nil {
		t.Fatalf("kubectl apply: %v\n%s", err, out)
	}
	pod := runningPod(t, ctx, s.bed, appNamespace, "app=nginx")
	dir, err := s.bed.PodVolumeDir(ctx, appNamespace, pod.Name, "nginx-logs")
	if err != nil {
		t.Fatal(err)
	}
	writeLogs(t, dir)
	before := treeState(t, dir)
	errorLog, err := os.ReadFile(filepath.Join(dir, "error.log"))
	if err != nil {
		t.Fatal(err)
	}
	objectsBefore := objects(t, ctx, s)

	cairn(t, ctx, 0, "backup", "create", "nginx-backup", "--selector", "app=nginx", "--wait")
	out := cairn(t, ctx, 0, "backup", "describe", "nginx-backup", "--details")
	t.Logf("backup describe --details:\n%s", out)
	for _, want := range []string{"Phase:  Completed", "nginx-example/" + pod.Name + ": nginx-logs (PVC nginx-logs)", "Snapshot:", "Files:     5"} {
		if !strings.Contains(out, want) {
			t.Errorf("describe lacks %q", want)
		}
	}
	var snaps []struct {
		ID   string   `json:"id"`
		Tags []string `json:"tags"`
		Host string   `json:"hostname"`
	}
	if err := json.Unmarshal([]byte(s.restic(t, ctx, appNamespace, "snapshots", "--json")), &snaps); err != nil {
		t.Fatal(err)
	}
	wantTags := []string{"backup=nginx-backup", "ns=" + appNamespace, "pod=" + pod.Name, "volume=nginx-logs", "pvc=nginx-logs"}
	if len(snaps) != 1 || !slices.Equal(snaps[0].Tags, wantTags) || snaps[0].Host != podvolume.Hostname {
		t.Fatalf("restic snapshots: %+v, want one with tags %v", snaps, wantTags)
	}

	// The same volume again, unchanged: its parent is the last snapshot of
	// the claim, no file is read and no data is uploaded (only a tree or
	// two, as folders on the kubelet's path changed).
	cairn(t, ctx, 0, "backup", "create", "nginx-backup-again", "--selector", "app=nginx", "--wait")
	sc := &starter.Client{Temporal: dial(t)}
	again, err := sc.DescribeBackup(ctx, "nginx-backup-again")
	if err != nil || len(again.PodVolumeBackups) != 1 || again.PodVolumeBackups[0].BytesUploaded > 4096 || again.PodVolumeBackups[0].Files != 5 {
		t.Errorf("the unchanged volume: %+v %v", again.PodVolumeBackups, err)
	}

	deleteNamespace(t, ctx, s.bed, appNamespace)
	cairn(t, ctx, 0, "restore", "create", "nginx-restore", "--from-backup", "nginx-backup", "--wait")
	if out := cairn(t, ctx, 0, "restore", "describe", "nginx-restore"); !strings.Contains(out, ": nginx-logs  Completed  (5 files") {
		t.Errorf("restore describe lacks the completed volume:\n%s", out)
	}
	if first, err := sc.DescribeBackup(ctx, "nginx-backup"); err == nil && len(first.PodVolumeBackups) == 1 {
		if rst, err := sc.DescribeRestore(ctx, "nginx-restore"); err == nil && len(rst.PodVolumeRestores) == 1 {
			b, r := first.PodVolumeBackups[0], rst.PodVolumeRestores[0]
			writeFigure(t, "walkthrough.txt", fmt.Sprintf("walkthrough volume (%d files, %.0f MiB of nginx logs): backed up in %s (%.0f MiB/s, %.1f MiB uploaded after compression), restored in %s (%.0f MiB/s)",
				b.Files, mib(int64(b.Bytes)), b.Duration.Round(time.Millisecond), mib(int64(b.Bytes))/b.Duration.Seconds(), mib(int64(b.BytesUploaded)),
				r.Duration.Round(time.Millisecond), mib(int64(r.Bytes))/r.Duration.Seconds()))
		}
	}
	restored := runningPod(t, ctx, s.bed, appNamespace, "app=nginx")
	if len(restored.Spec.InitContainers) == 0 || restored.Spec.InitContainers[0].Name != podvolume.InitContainerName {
		t.Errorf("restored pod %s has no %s init container", restored.Name, podvolume.InitContainerName)
	}
	newDir, err := s.bed.PodVolumeDir(ctx, appNamespace, restored.Name, "nginx-logs")
	if err != nil {
		t.Fatal(err)
	}
	if newDir == dir {
		t.Fatalf("the volume was not provisioned anew: %s", newDir)
	}
	after := treeState(t, newDir)
	if s.bed.Real != nil {
		// A real nginx appends to error.log as it starts, once its
		// restore-wait init container let it: the rest must be what was
		// backed up.
		restoredLog, err := os.ReadFile(filepath.Join(newDir, "error.log"))
		if err != nil || !bytes.HasPrefix(restoredLog, errorLog) {
			t.Errorf("restored error.log does not start with the backed-up one (%v):\n%s", err, restoredLog)
		}
		delete(before, "error.log")
		delete(after, "error.log")
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: backed up %q, restored %q", k, v, after[k])
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("%s: restored but not backed up", k)
		}
	}
	objectsAfter := objects(t, ctx, s)
	for k, v := range objectsBefore {
		if objectsAfter[k] != v {
			t.Errorf("%s: before %s, after %s", k, v, objectsAfter[k])
		}
	}
	// The restored claim, now mounted by a pod with another UID (another
	// folder), backs up with the last snapshot as its parent, compared at
	// the folder it had then; its data is all in the repository already.
	cairn(t, ctx, 0, "backup", "create", "nginx-backup-restored", "--selector", "app=nginx", "--wait")
	third, err := sc.DescribeBackup(ctx, "nginx-backup-restored")
	if err != nil || len(third.PodVolumeBackups) != 1 || third.PodVolumeBackups[0].Files != 5 || third.PodVolumeBackups[0].BytesUploaded > 64<<10 {
		t.Errorf("the restored volume's backup: %+v %v", third.PodVolumeBackups, err)
	}
	if rst, err := sc.DescribeRestore(ctx, "nginx-restore"); err != nil || len(rst.PodVolumeRestores) != 1 {
		t.Errorf("the restore's pod volumes: %+v %v", rst.PodVolumeRestores, err)
	} else if first, err := sc.DescribeBackup(ctx, "nginx-backup"); err == nil {
		checkMetrics(t, s, []workflows.BackupResult{first, again, third}, rst)
	}
	if out := s.restic(t, ctx, appNamespace, "check", "--read-data"); !strings.Contains(out, "no errors were found") {
		t.Errorf("restic check --read-data:\n%s", out)
	}
	// The volume's files went straight to storage: no workflow history
	// (which the Temporal UI shows) holds their contents, the repository
	// password or the S3 secret key.
	s.bed.CheckHistories(t, ctx, map[string]string{
		"the error log's content": "start worker processes", "the repository password": s.password(t, ctx),
		"the S3 secret key": s.bed.S3.SecretKey,
	}, workflows.BackupID("nginx-backup"), workflows.RestoreID("nginx-restore"))
}

// writeLogs fills the nginx log volume: access and error logs, one log of
// 110 MB, a rotated log in a folder, a symlink, and set modes and times.
func writeLogs(t *testing.T, dir string) {
	t.Helper()
	rng := rand.New(rand.NewChaCha8([32]byte{'n', 'g', 'i', 'n', 'x'}))
	line := func(i int) string {
		return "10.244.1." + string(rune('0'+i%10)) + ` - - [25/Nov/2026:08:00:00 +0000] "GET /index.html HTTP/1.1" 200 615 "-" "curl/8.5.0"` + "\n"
	}
	var big strings.Builder
	for big.Len() < 110<<20 {
		big.WriteString(line(rng.IntN(1000)))
		if rng.IntN(50) == 0 {
			var b [32]byte
			for i := range b {
				b[i] = byte('a' + rng.IntN(26))
			}
			big.Write(b[:])
			big.WriteByte('\n')
		}
	}
	files := map[string][]byte{
		"access.log":          []byte(strings.Repeat(line(1), 2000)),
		"error.log":           []byte("2026/11/25 08:00:00 [notice] 1#1: start worker processes\n"),
		"big.log":             []byte(big.String()),
		"old/access.log.1":    []byte(strings.Repeat(line(2), 500)),
		"old/error.log.1.txt": []byte("rotated\n"),
	}
	if err := testbed.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "error.log"), 0o600); err != nil {
		t.Fatal(err)
	}
	if os.Getuid() == 0 { // nginx's user owns its logs; the agent (root) restores owners
		for _, f := range []string{"access.log", "error.log", "old"} {
			if err := os.Lchown(filepath.Join(dir, f), 101, 101); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.Symlink("access.log", filepath.Join(dir, "current.log")); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(dir, "old/access.log.1"), old, old); err != nil {
		t.Fatal(err)
	}
}

// objects describes the walkthrough's API objects.
func objects(t *testing.T, ctx context.Context, s *stack) map[string]string {
	t.Helper()
	out := map[string]string{}
	deadline := time.Now().Add(time.Minute)
	for {
		d, err := s.bed.Kube.AppsV1().Deployments(appNamespace).Get(ctx, "nginx-deployment", metav1.GetOptions{})
		if err == nil {
			svc, err2 := s.bed.Kube.CoreV1().Services(appNamespace).Get(ctx, "my-nginx", metav1.GetOptions{})
			pvc, err3 := s.bed.Kube.CoreV1().PersistentVolumeClaims(appNamespace).Get(ctx, "nginx-logs", metav1.GetOptions{})
			if err2 == nil && err3 == nil {
				c := d.Spec.Template.Spec.Containers[0]
				out["deployment"] = c.Image + " " + c.VolumeMounts[0].MountPath + " " + d.Spec.Template.Annotations[podvolume.IncludeAnnotation]
				out["service"] = string(svc.Spec.Type) + " " + svc.Spec.Selector["app"]
				out["pvc"] = *pvc.Spec.StorageClassName + " " + pvc.Spec.Resources.Requests.Storage().String() + " " + string(pvc.Status.Phase)
				return out
			}
			err = err2
		}
		if time.Now().After(deadline) {
			t.Fatalf("the application is incomplete: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
