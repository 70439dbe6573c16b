package testbed

import (
	"context"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// DeleteNamespace deletes namespace ns and waits until it is gone (the
// simulated kubelets remove its pods, the namespace controller the rest).
func (b *Bed) DeleteNamespace(ctx context.Context, ns string) error {
	if err := b.Kube.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}); err != nil {
		return err
	}
	for {
		_, err := b.Kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("namespace %s is still there: %w (last: %v)", ns, ctx.Err(), err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
