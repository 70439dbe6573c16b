package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// snapshotApp describes what must survive the round trip, one line per
// object, waiting briefly for the objects to exist.
func snapshotApp(t *testing.T, bed *testbed.Bed) map[string]string {
	t.Helper()
	ctx := context.Background()
	kube := bed.Kube
	out := map[string]string{}
	deadline := time.Now().Add(time.Minute)
	for {
		var err error
		var cm *corev1.ConfigMap
		var sec *corev1.Secret
		var svc *corev1.Service
		var pvc *corev1.PersistentVolumeClaim
		cm, err = kube.CoreV1().ConfigMaps(appNamespace).Get(ctx, "nginx-conf", metav1.GetOptions{})
		if err == nil {
			sec, err = kube.CoreV1().Secrets(appNamespace).Get(ctx, "nginx-auth", metav1.GetOptions{})
		}
		if err == nil {
			svc, err = kube.CoreV1().Services(appNamespace).Get(ctx, "my-nginx", metav1.GetOptions{})
		}
		if err == nil {
			pvc, err = kube.CoreV1().PersistentVolumeClaims(appNamespace).Get(ctx, "nginx-logs", metav1.GetOptions{})
		}
		if err == nil {
			d, err2 := kube.AppsV1().Deployments(appNamespace).Get(ctx, "nginx-deployment", metav1.GetOptions{})
			if err = err2; err == nil {
				out["configmap"] = fmt.Sprint(cm.Data, cm.Labels["app"])
				out["secret"] = fmt.Sprint(string(sec.Data["password"]), sec.Labels["app"])
				out["service"] = fmt.Sprint(svc.Spec.Ports[0].Port, svc.Spec.Selector, svc.Spec.Type)
				out["pvc"] = fmt.Sprint(*pvc.Spec.StorageClassName, pvc.Spec.Resources.Requests.Storage().String())
				c := d.Spec.Template.Spec.Containers[0]
				out["deployment"] = fmt.Sprint(*d.Spec.Replicas, c.Image, c.VolumeMounts[0].MountPath,
					d.Spec.Template.Spec.Volumes[0].PersistentVolumeClaim.ClaimName)
				return out
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the application is incomplete: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
