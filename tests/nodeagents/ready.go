package nodeagents

import (
	"context"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// DaemonSetName is the node agents' DaemonSet in deploy/node-agent.yaml.
const DaemonSetName = "cairn-node-agent"

// WaitReady waits until the DaemonSet in ns runs a ready, current agent on
// each of nodes nodes, and says what it last saw when ctx ends first.
func WaitReady(ctx context.Context, kube kubernetes.Interface, ns string, nodes int) error {
	last := "not created"
	for {
		ds, err := kube.AppsV1().DaemonSets(ns).Get(ctx, DaemonSetName, metav1.GetOptions{})
		if err == nil {
			if ready(ds, nodes) {
				return nil
			}
			st := ds.Status
			last = fmt.Sprintf("%d of %d nodes scheduled, %d updated, %d ready", st.CurrentNumberScheduled, nodes, st.UpdatedNumberScheduled, st.NumberReady)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for daemonset %s/%s: %w (last: %s)", ns, DaemonSetName, ctx.Err(), last)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// ready reports whether ds runs its current spec, ready, on nodes nodes.
func ready(ds *appsv1.DaemonSet, nodes int) bool {
	st := ds.Status
	return st.ObservedGeneration >= ds.Generation && int(st.DesiredNumberScheduled) == nodes &&
		int(st.UpdatedNumberScheduled) == nodes && int(st.NumberReady) == nodes
}
