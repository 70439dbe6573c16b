package realnode_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/workflows"
)

// TestBackupWhilePodsChange backs up, on real nodes, the volume of a pod
// that keeps writing to it and the volume of a pod whose container is
// restarted during the backup: each volume's result is clear (Completed
// with a snapshot, or Failed naming the volume).
func TestBackupWhilePodsChange(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("real nodes need root")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	bed := startCairn(t, ctx)
	const ns = "busy"
	createNamespace(t, ctx, bed, ns)
	// The writer fills its volume, then appends to a log without end; the
	// restarter's volume holds 200 MB, so the backup is still reading it
	// when its container is killed.
	busyPod(t, ctx, bed, ns, "writer", `head -c 100000000 /dev/urandom > /data/big; while true; do date >> /data/log; sleep 0.01; done`)
	busyPod(t, ctx, bed, ns, "restarter", `[ -f /data/big ] || head -c 200000000 /dev/urandom > /data/big; trap 'exit 0' TERM; while true; do sleep 1; done`)
	waitFile(t, ctx, bed, ns, "writer", "log", 1)
	waitFile(t, ctx, bed, ns, "restarter", "big", 200000000)

	sc := starterClient(t)
	if err := sc.StartBackup(ctx, workflows.BackupInput{Name: "busy", Spec: activities.BackupSpec{IncludedNamespaces: []string{ns}}}); err != nil {
		t.Fatal(err)
	}
	waitVolumeStarted(t, ctx, sc)
	kubectl(t, ctx, bed, "-n", ns, "exec", "restarter", "--", "kill", "1")
	res, err := sc.WaitBackup(ctx, "busy")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("backup %s", res.Phase)
	checkVolumes(t, res.PodVolumeBackups)
	p, err := bed.Kube.CoreV1().Pods(ns).Get(ctx, "restarter", metav1.GetOptions{})
	if err != nil || len(p.Status.ContainerStatuses) == 0 || p.Status.ContainerStatuses[0].RestartCount == 0 {
		t.Errorf("the restarter's container did not restart: %+v, %v", p.Status.ContainerStatuses, err)
	}
}

// busyPod runs script in pod ns/name with an emptyDir at /data that the
// pod asks to have backed up.
func busyPod(t *testing.T, ctx context.Context, bed *testbed.Bed, ns, name, script string) {
	t.Helper()
	c := testbed.IdleContainer("app", corev1.VolumeMount{Name: "data", MountPath: "/data"})
	c.Command = []string{"sh", "-c", script}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Annotations: map[string]string{podvolume.IncludeAnnotation: "data"}},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{c}, TerminationGracePeriodSeconds: new(int64),
			Volumes: []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
		},
	}
	if _, err := bed.Kube.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitRunning(t, ctx, bed, ns, name)
}

// waitFile waits until the pod's container has written at least size
// bytes into /data/file.
func waitFile(t *testing.T, ctx context.Context, bed *testbed.Bed, ns, pod, file string, size int64) {
	t.Helper()
	dir, err := bed.PodVolumeDir(ctx, ns, pod, "data")
	if err != nil {
		t.Fatal(err)
	}
	for ctx.Err() == nil {
		if fi, err := os.Stat(filepath.Join(dir, file)); err == nil && fi.Size() >= size {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s/%s wrote no %s of %d bytes", ns, pod, file, size)
}

// waitVolumeStarted waits until the backup is working on its pod volumes.
func waitVolumeStarted(t *testing.T, ctx context.Context, sc *starter.Client) {
	t.Helper()
	for ctx.Err() == nil {
		b, err := sc.DescribeBackup(ctx, "busy")
		if err == nil && len(b.PodVolumeBackups) > 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the backup started no pod volume backup")
}

// checkVolumes checks that each pod volume's result is clear.
func checkVolumes(t *testing.T, vols []metadata.PodVolumeBackup) {
	t.Helper()
	if len(vols) != 2 {
		t.Fatalf("pod volume backups: %+v", vols)
	}
	for _, v := range vols {
		t.Logf("%s/%s %s: %s, %d files, %d bytes %s", v.Namespace, v.Pod, v.Volume, v.Phase, v.Files, v.Bytes, v.Error)
		switch v.Phase {
		case metadata.VolumeCompleted:
			if v.SnapshotID == "" || v.Files == 0 {
				t.Errorf("%s completed without a snapshot: %+v", v.Pod, v)
			}
		case metadata.VolumeFailed:
			if !strings.Contains(v.Error, v.Volume) && !strings.Contains(v.Error, v.Pod) {
				t.Errorf("%s failed without naming its volume: %q", v.Pod, v.Error)
			}
		default:
			t.Errorf("%s ended %s", v.Pod, v.Phase)
		}
	}
}

// TestNodeStoppedDuringRestore stops the node that the restored pod went
// to while its volume is restored: the restore ends PartiallyFailed with
// the volume's restore Failed and an error that names the node, instead
// of hanging.
func TestNodeStoppedDuringRestore(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("real nodes need root")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	bed := startCairn(t, ctx)
	const ns = "lost"
	createNamespace(t, ctx, bed, ns)
	busyPod(t, ctx, bed, ns, "app", `head -c 100000000 /dev/urandom > /data/big; trap 'exit 0' TERM; while true; do sleep 1; done`)
	waitFile(t, ctx, bed, ns, "app", "big", 100000000)
	cairnCLI(t, ctx, "backup", "create", "lost", "--include-namespaces", ns, "--wait")
	kubectl(t, ctx, bed, "delete", "namespace", ns, "--wait=true", "--timeout=120s")

	sc := starterClient(t)
	if err := sc.StartRestore(ctx, workflows.RestoreInput{Name: "lost", NodeAgentTimeout: 5 * time.Second,
		Spec: activities.RestoreSpec{BackupName: "lost"}}); err != nil {
		t.Fatal(err)
	}
	node := scheduledNode(t, ctx, bed, ns, "app")
	if err := bed.Real.StopNode(node); err != nil {
		t.Fatal(err)
	}
	stopped := time.Now()
	res, err := sc.WaitRestore(ctx, "lost")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("restore %s %v after %s stopped: %+v", res.Phase, time.Since(stopped).Round(time.Second), node, res.PodVolumeRestores)
	if res.Phase != workflows.PhasePartiallyFailed || len(res.PodVolumeRestores) != 1 {
		t.Fatalf("restore %s: %+v", res.Phase, res)
	}
	v := res.PodVolumeRestores[0]
	if v.Phase != metadata.VolumeFailed || v.Volume != "data" || !strings.Contains(v.Error, node) {
		t.Errorf("the volume's restore: %+v", v)
	}
}

// scheduledNode waits until pod ns/name is on a node and returns it.
func scheduledNode(t *testing.T, ctx context.Context, bed *testbed.Bed, ns, name string) string {
	t.Helper()
	for ctx.Err() == nil {
		p, err := bed.Kube.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
		if err == nil && p.Spec.NodeName != "" {
			return p.Spec.NodeName
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("pod %s/%s was not scheduled", ns, name)
	return ""
}

// createNamespace creates namespace ns on the bed.
func createNamespace(t *testing.T, ctx context.Context, bed *testbed.Bed, ns string) {
	t.Helper()
	if _, err := bed.Kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// starterClient is a client of the bed's Temporal, closed when the test ends.
func starterClient(t *testing.T) *starter.Client {
	t.Helper()
	c, err := worker.Config{}.Dial(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return &starter.Client{Temporal: c}
}
