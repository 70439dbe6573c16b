package kubesim

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

// syncPod plays the kubelet for one pod bound to a simulated node.
func (s *Sim) syncPod(ctx context.Context, key string) error {
	obj, exists, err := s.podStore.GetByKey(key)
	if err != nil || !exists {
		return err
	}
	pod := obj.(*corev1.Pod)
	if !s.nodes[pod.Spec.NodeName] {
		return nil
	}
	if pod.DeletionTimestamp != nil {
		return s.killPod(ctx, pod)
	}
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return nil
	}
	mounted, err := s.setUpVolumes(pod)
	if err != nil {
		return err
	}
	if !mounted {
		return fmt.Errorf("pod %s waits for its volumes", key)
	}
	if podReady(pod) {
		return nil
	}
	if err := s.restoreWait(pod); err != nil {
		return err
	}
	return s.markRunning(ctx, pod)
}

// setUpVolumes lays out the pod's volume folders. It reports false while a
// PVC the pod uses is not bound yet.
func (s *Sim) setUpVolumes(pod *corev1.Pod) (bool, error) {
	for _, vol := range pod.Spec.Volumes {
		pvName := ""
		if vol.PersistentVolumeClaim != nil {
			obj, ok, _ := s.pvcStore.GetByKey(pod.Namespace + "/" + vol.PersistentVolumeClaim.ClaimName)
			if !ok {
				return false, nil
			}
			pvc := obj.(*corev1.PersistentVolumeClaim)
			if pvc.Spec.VolumeName == "" || pvc.Status.Phase != corev1.ClaimBound {
				return false, nil
			}
			pvName = pvc.Spec.VolumeName
		}
		dir := VolumeDir(s.cfg.NodesDir, pod.Spec.NodeName, string(pod.UID), vol, pvName)
		if dir == "" {
			continue
		}
		var err error
		if pvName != "" {
			err = s.mountPV(pvName, dir)
		} else {
			err = os.MkdirAll(dir, 0o777)
		}
		if err != nil {
			return false, fmt.Errorf("kubesim: setting up volume %s of pod %s/%s: %w", vol.Name, pod.Namespace, pod.Name, err)
		}
	}
	return true, nil
}

// killPod tears the pod's volumes down and removes the pod, as a kubelet does
// once its containers have stopped.
func (s *Sim) killPod(ctx context.Context, pod *corev1.Pod) error {
	podDir := PodDir(s.cfg.NodesDir, pod.Spec.NodeName, string(pod.UID))
	csi := filepath.Join(podDir, "volumes", PluginCSI)
	entries, _ := os.ReadDir(csi)
	for _, e := range entries {
		if err := s.unmountPV(e.Name(), filepath.Join(csi, e.Name(), "mount")); err != nil {
			return err
		}
	}
	if err := os.RemoveAll(podDir); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.podIPs, string(pod.UID))
	s.mu.Unlock()
	err := s.client.CoreV1().Pods(pod.Namespace).Delete(ctx, pod.Name, metav1.DeleteOptions{
		GracePeriodSeconds: ptr.To[int64](0),
		Preconditions:      &metav1.Preconditions{UID: &pod.UID},
	})
	if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
		return nil
	}
	return err
}

func podReady(pod *corev1.Pod) bool {
	if pod.Status.Phase != corev1.PodRunning {
		return false
	}
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func (s *Sim) podIP(uid types.UID) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ip, ok := s.podIPs[string(uid)]; ok {
		return ip
	}
	s.nextIP++
	ip := fmt.Sprintf("10.244.%d.%d", 1+s.nextIP/250%250, 1+s.nextIP%250)
	s.podIPs[string(uid)] = ip
	return ip
}

// markRunning reports every container started and ready.
func (s *Sim) markRunning(ctx context.Context, pod *corev1.Pod) error {
	pod = pod.DeepCopy()
	now := metav1.NewTime(time.Now())
	ip := pod.Status.PodIP
	if ip == "" {
		ip = s.podIP(pod.UID)
	}
	st := &pod.Status
	st.Phase = corev1.PodRunning
	st.HostIP = "127.0.0.1"
	st.HostIPs = []corev1.HostIP{{IP: "127.0.0.1"}}
	st.PodIP = ip
	st.PodIPs = []corev1.PodIP{{IP: ip}}
	if st.StartTime == nil {
		st.StartTime = &now
	}
	st.Conditions = nil
	for _, t := range []corev1.PodConditionType{
		corev1.PodReadyToStartContainers, corev1.PodInitialized, corev1.ContainersReady, corev1.PodReady, corev1.PodScheduled,
	} {
		st.Conditions = append(st.Conditions, corev1.PodCondition{Type: t, Status: corev1.ConditionTrue, LastTransitionTime: now})
	}
	st.InitContainerStatuses = nil
	for _, c := range pod.Spec.InitContainers {
		st.InitContainerStatuses = append(st.InitContainerStatuses, corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: "sim://" + c.Image, Ready: true,
			ContainerID: "sim://" + string(pod.UID) + "/" + c.Name,
			State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: 0, Reason: "Completed", StartedAt: now, FinishedAt: now,
			}},
		})
	}
	st.ContainerStatuses = nil
	for _, c := range pod.Spec.Containers {
		st.ContainerStatuses = append(st.ContainerStatuses, corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: "sim://" + c.Image, Ready: true, Started: ptr.To(true),
			ContainerID: "sim://" + string(pod.UID) + "/" + c.Name,
			State:       corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}},
		})
	}
	_, err := s.client.CoreV1().Pods(pod.Namespace).UpdateStatus(ctx, pod, metav1.UpdateOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}
