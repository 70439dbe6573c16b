package podvolumes

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/workflows"
)

// TestVolumeSelection backs up a namespace where two pods share a claim
// (backed up once), one pod never runs (skipped with a reason) and one
// runs on a node without an agent (a clear per-volume error, not a hung
// backup), so the backup ends PartiallyFailed.
func TestVolumeSelection(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := newStack(t, ctx, "cairn-selection")
	const ns = "selection"
	kube := s.bed.Kube
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := kube.CoreV1().PersistentVolumeClaims(ns).Create(ctx, &corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Name: "shared"},
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany},
			Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}},
		},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// The pods of the claim go where its volume is: on real nodes, a
	// local PV on one node.
	withAgent, without := s.bed.Nodes[0], s.bed.Nodes[1]
	if n := claimNode(t, ctx, s.bed, ns, "shared"); n == without {
		withAgent, without = without, withAgent
	}
	s.startAgents(t, ctx, withAgent)
	newPod := func(name, node string, vol corev1.VolumeSource) {
		t.Helper()
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{podvolume.IncludeAnnotation: "data"}},
			Spec: corev1.PodSpec{
				NodeName:   node,
				Containers: []corev1.Container{testbed.IdleContainer("app", corev1.VolumeMount{Name: "data", MountPath: "/data"})},
				Volumes:    []corev1.Volume{{Name: "data", VolumeSource: vol}},
			},
		}
		if _, err := kube.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	shared := corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "shared"}}
	empty := corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}
	newPod("writer", withAgent, shared)
	newPod("reader", withAgent, shared)
	newPod("stranded", "no-such-node", empty)
	newPod("far", without, empty)
	for _, p := range []string{"writer", "reader", "far"} {
		dir, err := s.bed.PodVolumeDir(ctx, ns, p, "data")
		if err != nil {
			t.Fatal(err)
		}
		// kubesim gives the second pod of a shared claim an empty folder,
		// so both pods get the claim's file.
		writeFile(t, dir, "hello")
	}

	sc := &starter.Client{Temporal: dial(t)}
	if err := sc.StartBackup(ctx, workflows.BackupInput{Name: "selection", NodeAgentTimeout: 3 * time.Second,
		Spec: activities.BackupSpec{IncludedNamespaces: []string{ns}}}); err != nil {
		t.Fatal(err)
	}
	res, err := sc.WaitBackup(ctx, "selection")
	if res.Phase != workflows.PhasePartiallyFailed {
		t.Fatalf("backup %s (%v), want PartiallyFailed: %+v", res.Phase, err, res)
	}
	byPod := map[string]metadata.PodVolumeBackup{}
	for _, v := range res.PodVolumeBackups {
		if _, dup := byPod[v.Pod]; dup {
			t.Errorf("pod %s listed twice", v.Pod)
		}
		byPod[v.Pod] = v
	}
	claimed := byPod["writer"]
	if _, ok := byPod["reader"]; ok {
		claimed = byPod["reader"]
		if _, both := byPod["writer"]; both {
			t.Error("the shared claim was backed up twice")
		}
	}
	if claimed.Phase != metadata.VolumeCompleted || claimed.PVC != "shared" || claimed.Files != 1 {
		t.Errorf("shared claim: %+v", claimed)
	}
	if v := byPod["stranded"]; v.Phase != metadata.VolumeSkipped || !strings.Contains(v.Error, "not Running") {
		t.Errorf("stranded pod: %+v", v)
	}
	if v := byPod["far"]; v.Phase != metadata.VolumeFailed || !strings.Contains(v.Error, "no node agent picked the volume up on node "+without) {
		t.Errorf("pod on a node without agent: %+v", v)
	}
	if res.Warnings < 1 {
		t.Errorf("the skipped volume of the stranded pod is not a warning: %d warnings", res.Warnings)
	}
	out := cairn(t, ctx, 0, "backup", "describe", "selection", "--details")
	for _, want := range []string{"Phase:  PartiallyFailed", "selection/far: data (PVC <none>)", "is `cairn node-agent` running there?"} {
		if !strings.Contains(out, want) {
			t.Errorf("describe lacks %q:\n%s", want, out)
		}
	}
	if logs := cairn(t, ctx, 0, "backup", "logs", "selection"); !strings.Contains(logs, "pod volume selection/stranded data skipped: pod selection/stranded is ") ||
		!strings.Contains(logs, "not Running") {
		t.Errorf("the backup log lacks the stranded pod's warning:\n%s", logs)
	}
}

// TestVolumeOptOut backs up with --default-volumes-to-fs-backup: every
// volume of a running pod is backed up except those named by
// backup.velero.io/backup-volumes-excludes and the kinds that come from
// the API or the node (secret, configMap, projected, downwardAPI,
// hostPath), which are left out without a warning, as Velero does.
func TestVolumeOptOut(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := newStack(t, ctx, "cairn-optout")
	node := s.bed.Nodes[0]
	s.startAgents(t, ctx, node)
	const ns = "optout"
	kube := s.bed.Kube
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	empty := func(name string) corev1.Volume {
		return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "app", Annotations: map[string]string{podvolume.ExcludeAnnotation: "scratch"}},
		Spec: corev1.PodSpec{
			NodeName: node,
			// A kubelet sets up only the volumes a container mounts.
			Containers: []corev1.Container{testbed.IdleContainer("app", corev1.VolumeMount{Name: "data", MountPath: "/data"},
				corev1.VolumeMount{Name: "scratch", MountPath: "/scratch"})},
			Volumes: []corev1.Volume{
				empty("data"), empty("scratch"),
				{Name: "host", VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/var/log"}}},
				{Name: "secret", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "s"}}},
				{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "c"}}}},
				{Name: "projected", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{}}},
				{Name: "downward", VolumeSource: corev1.VolumeSource{DownwardAPI: &corev1.DownwardAPIVolumeSource{}}},
			},
		},
	}
	if _, err := kube.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, vol := range []string{"data", "scratch"} {
		dir, err := s.bed.PodVolumeDir(ctx, ns, "app", vol)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, vol)
	}
	sc := &starter.Client{Temporal: dial(t)}
	all := true
	if err := sc.StartBackup(ctx, workflows.BackupInput{Name: "optout", NodeAgentTimeout: 30 * time.Second,
		Spec: activities.BackupSpec{IncludedNamespaces: []string{ns}, DefaultVolumesToFsBackup: &all}}); err != nil {
		t.Fatal(err)
	}
	res, err := sc.WaitBackup(ctx, "optout")
	if err != nil || res.Phase != workflows.PhaseCompleted {
		t.Fatalf("backup %s (%v): %+v", res.Phase, err, res)
	}
	if len(res.PodVolumeBackups) != 1 || res.PodVolumeBackups[0].Volume != "data" || res.PodVolumeBackups[0].Files != 1 ||
		res.PodVolumeBackups[0].Phase != metadata.VolumeCompleted {
		t.Errorf("pod volume backups %+v, want only volume data", res.PodVolumeBackups)
	}
	if res.Warnings != 0 {
		t.Errorf("%d warnings for volumes left out by design", res.Warnings)
	}
}

func writeFile(t *testing.T, dir, content string) {
	t.Helper()
	if err := testbed.WriteFiles(dir, map[string][]byte{"file.txt": []byte(content)}); err != nil {
		t.Fatal(err)
	}
}

// claimNode waits until claim ns/name is bound and returns the node its
// volume is bound to, or "" for a volume any node can mount.
func claimNode(t *testing.T, ctx context.Context, bed *testbed.Bed, ns, name string) string {
	t.Helper()
	for ctx.Err() == nil {
		pvc, err := bed.Kube.CoreV1().PersistentVolumeClaims(ns).Get(ctx, name, metav1.GetOptions{})
		if err == nil && pvc.Spec.VolumeName != "" {
			pv, err := bed.Kube.CoreV1().PersistentVolumes().Get(ctx, pvc.Spec.VolumeName, metav1.GetOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if a := pv.Spec.NodeAffinity; a != nil && a.Required != nil && len(a.Required.NodeSelectorTerms) > 0 {
				return a.Required.NodeSelectorTerms[0].MatchExpressions[0].Values[0]
			}
			return ""
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("claim %s/%s not bound", ns, name)
	return ""
}
