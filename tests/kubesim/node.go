package kubesim

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"
)

const heartbeatEvery = 10 * time.Second

// registerNode creates the Node (or takes over an existing one) and reports it Ready.
func (s *Sim) registerNode(ctx context.Context, name string) error {
	// A kubelet's pods folder exists before its first pod.
	if err := os.MkdirAll(filepath.Join(s.cfg.NodesDir, name, "pods"), 0o750); err != nil {
		return fmt.Errorf("kubesim: node %s: %w", name, err)
	}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
			"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
			"node.kubernetes.io/instance-type": "cairn-sim",
		}},
	}
	_, err := s.client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("kubesim: registering node %s: %w", name, err)
	}
	return s.heartbeat(ctx, name)
}

// heartbeat renews the node's lease and its Ready condition. The node
// lifecycle controller writes the same Node (taints, annotations), so a
// conflicting update is retried on a fresh copy.
func (s *Sim) heartbeat(ctx context.Context, name string) error {
	err := retry.RetryOnConflict(retry.DefaultBackoff, func() error { return s.updateNodeStatus(ctx, name) })
	if err != nil {
		return err
	}
	return s.renewLease(ctx, name)
}

func (s *Sim) updateNodeStatus(ctx context.Context, name string) error {
	now := metav1.NewTime(time.Now())
	node, err := s.client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("kubesim: reading node %s: %w", name, err)
	}
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse("16"),
		corev1.ResourceMemory:           resource.MustParse("64Gi"),
		corev1.ResourcePods:             resource.MustParse("250"),
		corev1.ResourceEphemeralStorage: resource.MustParse("500Gi"),
	}
	node.Status.Capacity = capacity
	node.Status.Allocatable = capacity
	node.Status.Phase = corev1.NodeRunning
	node.Status.Addresses = []corev1.NodeAddress{
		{Type: corev1.NodeInternalIP, Address: "127.0.0.1"},
		{Type: corev1.NodeHostName, Address: name},
	}
	node.Status.NodeInfo = corev1.NodeSystemInfo{
		KubeletVersion: "v1.34.2", OperatingSystem: "linux", Architecture: "amd64",
		ContainerRuntimeVersion: "cairn-sim://1", KernelVersion: "sim", OSImage: "cairn kubesim",
	}
	node.Status.Conditions = []corev1.NodeCondition{
		condition(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", now),
		condition(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory", now),
		condition(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure", now),
		condition(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID", now),
		condition(corev1.NodeNetworkUnavailable, corev1.ConditionFalse, "RouteCreated", now),
	}
	if _, err := s.client.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("kubesim: updating node %s: %w", name, err)
	}
	return nil
}

func condition(t corev1.NodeConditionType, st corev1.ConditionStatus, reason string, now metav1.Time) corev1.NodeCondition {
	return corev1.NodeCondition{Type: t, Status: st, Reason: reason, LastHeartbeatTime: now, LastTransitionTime: now}
}

func (s *Sim) renewLease(ctx context.Context, name string) error {
	leases := s.client.CoordinationV1().Leases(corev1.NamespaceNodeLease)
	now := metav1.NewMicroTime(time.Now())
	lease, err := leases.Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		lease = &coordinationv1.Lease{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: corev1.NamespaceNodeLease},
			Spec: coordinationv1.LeaseSpec{
				HolderIdentity: ptr.To(name), LeaseDurationSeconds: ptr.To[int32](40), RenewTime: &now,
			},
		}
		_, err = leases.Create(ctx, lease, metav1.CreateOptions{})
		if apierrors.IsAlreadyExists(err) {
			return nil // the next heartbeat renews it
		}
		return err
	}
	if err != nil {
		return err
	}
	lease.Spec.RenewTime = &now
	lease.Spec.HolderIdentity = ptr.To(name)
	_, err = leases.Update(ctx, lease, metav1.UpdateOptions{})
	return err
}

func (s *Sim) heartbeats(ctx context.Context) {
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, n := range s.cfg.Nodes {
			if err := s.heartbeat(ctx, n); err != nil && ctx.Err() == nil {
				s.log.Warn("kubesim: heartbeat failed", "node", n, "err", err)
			}
		}
	}
}

func (s *Sim) nodeReady(ctx context.Context, name string) (bool, error) {
	node, err := s.client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return false, err
	}
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue, nil
		}
	}
	return false, nil
}
