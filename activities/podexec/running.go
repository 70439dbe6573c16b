package podexec

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// NotRunningError says why a container cannot run a command now.
type NotRunningError struct{ Reason string }

func (e *NotRunningError) Error() string { return e.Reason }

// Running returns nil when t's pod is Running and its container is
// running (and ready, with ready), else a *NotRunningError that says what
// it is instead; a missing pod is one too.
func (e *Executor) Running(ctx context.Context, t Target, ready bool) error {
	pod, err := e.Client.CoreV1().Pods(t.Namespace).Get(ctx, t.Pod, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return &NotRunningError{fmt.Sprintf("pod %s/%s does not exist", t.Namespace, t.Pod)}
	}
	if err != nil {
		return fmt.Errorf("reading pod %s/%s: %w", t.Namespace, t.Pod, err)
	}
	return containerRunning(pod, t, ready)
}

// containerRunning checks the pod's status for t's container.
func containerRunning(pod *corev1.Pod, t Target, ready bool) error {
	if pod.Status.Phase != corev1.PodRunning {
		return &NotRunningError{fmt.Sprintf("pod %s/%s is %s, not Running", t.Namespace, t.Pod, pod.Status.Phase)}
	}
	for _, cs := range pod.Status.ContainerStatuses {
		if cs.Name != t.Container {
			continue
		}
		switch {
		case cs.State.Running == nil:
			return &NotRunningError{fmt.Sprintf("%s is not running", t)}
		case ready && !cs.Ready:
			return &NotRunningError{fmt.Sprintf("%s is running but not ready", t)}
		}
		return nil
	}
	return &NotRunningError{fmt.Sprintf("pod %s/%s has no container %s", t.Namespace, t.Pod, t.Container)}
}

// WaitRunning polls until t runs (and is ready, with ready), calling beat
// at every look, until ctx ends; the error then says what the container
// still was.
func (e *Executor) WaitRunning(ctx context.Context, t Target, ready bool, beat func(state string)) error {
	for {
		err := e.Running(ctx, t, ready)
		if err == nil {
			return nil
		}
		if _, waiting := err.(*NotRunningError); !waiting && ctx.Err() == nil {
			return err
		}
		if beat != nil {
			beat(err.Error())
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w (%v)", t, ctx.Err(), err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}
