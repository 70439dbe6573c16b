package worker

import (
	"context"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/sdk/client"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/cairn-backup/cairn/activities/cluster"
	"github.com/cairn-backup/cairn/worker/buildinfo"
)

// peerStale is how long after its last poll another server counts as
// gone: a worker polls again within a minute, its long poll's length.
const peerStale = 2 * time.Minute

// clusterUID names the cluster: the UID of its kube-system namespace,
// which stays for the cluster's life and differs between clusters.
func clusterUID(ctx context.Context, kube kubernetes.Interface) (string, error) {
	ns, err := kube.CoreV1().Namespaces().Get(ctx, metav1.NamespaceSystem, metav1.GetOptions{})
	if err != nil {
		return "", fmt.Errorf("reading namespace kube-system, whose UID names the cluster: %w", err)
	}
	return string(ns.UID), nil
}

// refuseSharedQueue fails when a `cairn server` of another cluster (a
// kube-system UID other than uid) polls queue: two clusters on one task
// queue would run each other's backups and restores against the wrong
// cluster.
func refuseSharedQueue(ctx context.Context, c client.Client, namespace, queue, uid string) error {
	resp, err := c.DescribeTaskQueue(ctx, queue, enumspb.TASK_QUEUE_TYPE_WORKFLOW)
	if err != nil {
		return fmt.Errorf("asking Temporal who polls task queue %s: %w", queue, err)
	}
	if other, ok := otherCluster(resp.GetPollers(), uid, time.Now()); ok {
		return fmt.Errorf("task queue %q of Temporal namespace %q is polled by the cairn server of another cluster "+
			"(%s, kube-system UID %s; this cluster's is %s): two clusters on one task queue would run each other's backups. "+
			"Give each cluster its own name (--cluster-name or $%s), which gives it task queues of its own, or its own Temporal namespace (--temporal-namespace or $%s)",
			queue, namespace, other.GetIdentity(), peerCluster(other), uid, cluster.EnvVar, NamespaceEnv)
	}
	return nil
}

// otherCluster is a recent poller that is a cairn server of a cluster
// other than the one of kube-system UID uid.
func otherCluster(pollers []*taskqueuepb.PollerInfo, uid string, now time.Time) (*taskqueuepb.PollerInfo, bool) {
	for _, p := range pollers {
		peer, ok := buildinfo.ParseIdentity(p.GetIdentity())
		if ok && peer.Kind == buildinfo.ServerKind && peer.Cluster != "" && peer.Cluster != uid &&
			now.Sub(p.GetLastAccessTime().AsTime()) < peerStale {
			return p, true
		}
	}
	return nil, false
}

func peerCluster(p *taskqueuepb.PollerInfo) string {
	peer, _ := buildinfo.ParseIdentity(p.GetIdentity())
	return peer.Cluster
}
