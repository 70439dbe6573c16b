package podvolumes

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/workflows"
)

// TestNodeConcurrency backs up three volumes on each of two nodes, whose
// agents work on one and on two volumes at once: the workflow's history
// shows at most that many volume backups running at once on each node,
// and both nodes working at the same time.
func TestNodeConcurrency(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := newStack(t, ctx, "cairn-concurrency")
	one, two := s.bed.Nodes[0], s.bed.Nodes[1]
	s.startAgent(t, ctx, one, 1)
	s.startAgent(t, ctx, two, 2)
	const ns = "concurrency"
	kube := s.bed.Kube
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewChaCha8([32]byte{'c'}))
	data := make([]byte, 48<<20) // random, so each volume takes a while to back up
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	for _, node := range []string{one, two} {
		for i := range 3 {
			name := fmt.Sprintf("%s-%d", node, i)
			pod := &corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{podvolume.IncludeAnnotation: "data"}},
				Spec: corev1.PodSpec{
					NodeName:   node,
					Containers: []corev1.Container{testbed.IdleContainer("app", corev1.VolumeMount{Name: "data", MountPath: "/data"})},
					Volumes:    []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
				},
			}
			if _, err := kube.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
				t.Fatal(err)
			}
			dir, err := s.bed.PodVolumeDir(ctx, ns, name, "data")
			if err != nil {
				t.Fatal(err)
			}
			data[0] = byte(i) // a different file in each volume
			if err := testbed.WriteFiles(dir, map[string][]byte{"data.bin": data}); err != nil {
				t.Fatal(err)
			}
		}
	}
	c := dial(t)
	sc := &starter.Client{Temporal: c}
	if err := sc.StartBackup(ctx, workflows.BackupInput{Name: "concurrency", Spec: activities.BackupSpec{IncludedNamespaces: []string{ns}}}); err != nil {
		t.Fatal(err)
	}
	res, err := sc.WaitBackup(ctx, "concurrency")
	if err != nil || res.Phase != workflows.PhaseCompleted || len(res.PodVolumeBackups) != 6 {
		t.Fatalf("backup %s (%v): %+v", res.Phase, err, res.PodVolumeBackups)
	}

	// When each volume backup ran, per task queue, from the history.
	type span struct{ start, end time.Time }
	queueOf := map[int64]string{}
	started := map[int64]time.Time{}
	spans := map[string][]span{}
	it := c.GetWorkflowHistory(ctx, workflows.BackupID("concurrency"), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			if a := ev.GetActivityTaskScheduledEventAttributes(); a.GetActivityType().GetName() == "BackupPodVolume" {
				queueOf[ev.GetEventId()] = a.GetTaskQueue().GetName()
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
			started[ev.GetActivityTaskStartedEventAttributes().GetScheduledEventId()] = ev.GetEventTime().AsTime()
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			id := ev.GetActivityTaskCompletedEventAttributes().GetScheduledEventId()
			if q, ok := queueOf[id]; ok {
				spans[q] = append(spans[q], span{started[id], ev.GetEventTime().AsTime()})
			}
		}
	}
	// most is the largest number of spans running at one moment.
	most := func(ss []span) int {
		type edge struct {
			at    time.Time
			delta int
		}
		var edges []edge
		for _, s := range ss {
			edges = append(edges, edge{s.start, 1}, edge{s.end, -1})
		}
		slices.SortFunc(edges, func(a, b edge) int {
			if c := a.at.Compare(b.at); c != 0 {
				return c
			}
			return a.delta - b.delta // an end before a start at the same instant
		})
		n, top := 0, 0
		for _, e := range edges {
			n += e.delta
			top = max(top, n)
		}
		return top
	}
	q1, q2 := activities.NodeAgentQueue(one), activities.NodeAgentQueue(two)
	if len(spans[q1]) != 3 || len(spans[q2]) != 3 {
		t.Fatalf("volume backups per task queue: %v", spans)
	}
	t.Logf("at most %d at once on %s (concurrency 1), %d on %s (concurrency 2), %d in all",
		most(spans[q1]), one, most(spans[q2]), two, most(append(slices.Clone(spans[q1]), spans[q2]...)))
	if got := most(spans[q1]); got != 1 {
		t.Errorf("%s, concurrency 1, backed up %d volumes at once", one, got)
	}
	if got := most(spans[q2]); got != 2 {
		t.Errorf("%s, concurrency 2, backed up at most %d volumes at once, want 2", two, got)
	}
	if got := most(append(slices.Clone(spans[q1]), spans[q2]...)); got < 3 {
		t.Errorf("the two nodes did not work at the same time: at most %d volumes at once", got)
	}
}
