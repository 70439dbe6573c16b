package realnode_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// TestRealNodes starts a bed on two real nodes and runs pods on them: an
// init container writes into an emptyDir that the host sees in the
// kubelet's pods folder, a PVC is mounted where the node agents look,
// `kubectl exec` and `kubectl logs` work through the apiserver, and Stop
// leaves no namespace, mount or process behind.
func TestRealNodes(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("real nodes need root")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	dir := t.TempDir()
	before := netnsList()
	start := time.Now()
	bed, err := testbed.Start(ctx, testbed.Options{Dir: dir, RealNodes: true})
	if err != nil {
		if bed != nil {
			t.Logf("logs: %s", logsOf(dir))
		}
		t.Fatal(err)
	}
	t.Logf("bed with %d real nodes up in %v", len(bed.Nodes), time.Since(start).Round(time.Millisecond))
	stopped := false
	defer func() {
		if !stopped {
			bed.Stop()
		}
	}()
	kube := bed.Kube
	ns := "real"
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	pvc := &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: "data", Namespace: ns}, Spec: corev1.PersistentVolumeClaimSpec{
		AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
		Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}},
	}}
	if _, err := kube.CoreV1().PersistentVolumeClaims(ns).Create(ctx, pvc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	mounts := []corev1.VolumeMount{{Name: "scratch", MountPath: "/scratch"}, {Name: "data", MountPath: "/data"}}
	init := corev1.Container{Name: "init", Image: testbed.BusyboxImage, Command: []string{"sh", "-c", "echo hello > /scratch/x; echo kept > /data/y; echo init done"}, VolumeMounts: mounts}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "app", Namespace: ns}, Spec: corev1.PodSpec{
		InitContainers: []corev1.Container{init}, Containers: []corev1.Container{testbed.IdleContainer("app", mounts...)},
		Volumes: []corev1.Volume{{Name: "scratch", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
			{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "data"}}}},
		TerminationGracePeriodSeconds: new(int64),
	}}
	if _, err := kube.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	running := time.Now()
	p := waitRunning(t, ctx, bed, ns, "app")
	t.Logf("pod with an init container, an emptyDir and a PVC Running on %s in %v", p.Spec.NodeName, time.Since(running).Round(time.Millisecond))

	for vol, want := range map[string]string{"scratch": "x", "data": "y"} {
		d, err := bed.PodVolumeDir(ctx, ns, "app", vol)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(d, filepath.Join(bed.NodesDir, p.Spec.NodeName, "pods", string(p.UID), "volumes")) {
			t.Errorf("volume %s at %s", vol, d)
		}
		if _, err := os.Stat(filepath.Join(d, want)); err != nil {
			t.Errorf("the host does not see what the container wrote: %v", err)
		}
	}
	if out := kubectl(t, ctx, bed, "-n", ns, "exec", "app", "-c", "app", "--", "cat", "/scratch/x", "/data/y"); out != "hello\nkept\n" {
		t.Errorf("kubectl exec: %q", out)
	}
	if out := kubectl(t, ctx, bed, "-n", ns, "logs", "app", "-c", "init"); out != "init done\n" {
		t.Errorf("kubectl logs: %q", out)
	}

	made := ownNetns(t, before, netnsList(), bed.Real.NetnsPrefix())
	stopping := time.Now()
	bed.Stop()
	stopped = true
	t.Logf("bed stopped in %v", time.Since(stopping).Round(time.Millisecond))
	checkGone(t, dir, made)
}
