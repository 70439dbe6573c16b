package e2e

import (
	"context"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"
)

const (
	appNamespace = "nginx-example"
	secretValue  = "s3cr3t-nginx-value-7f3a"
)

// createNginx creates the seed's nginx application: a Deployment mounting
// a PVC, a Service, a ConfigMap and a Secret.
func createNginx(t *testing.T, kube kubernetes.Interface) {
	t.Helper()
	ctx := context.Background()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	labels := map[string]string{"app": "nginx"}
	must(kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: appNamespace, Labels: labels}}, metav1.CreateOptions{}))
	sc := "block-storage"
	must(kube.CoreV1().PersistentVolumeClaims(appNamespace).Create(ctx, &corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx-logs", Labels: labels},
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes:      []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			StorageClassName: &sc,
			Resources:        corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("50Mi")}},
		},
	}, metav1.CreateOptions{}))
	must(kube.CoreV1().ConfigMaps(appNamespace).Create(ctx, &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx-conf", Labels: labels},
		Data:       map[string]string{"index.html": "<h1>hello</h1>"},
	}, metav1.CreateOptions{}))
	must(kube.CoreV1().Secrets(appNamespace).Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx-auth", Labels: labels},
		StringData: map[string]string{"password": secretValue},
	}, metav1.CreateOptions{}))
	one := int32(1)
	must(kube.AppsV1().Deployments(appNamespace).Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx-deployment", Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &one,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{
						Name: "nginx", Image: "nginx:stable",
						Ports:        []corev1.ContainerPort{{ContainerPort: 80}},
						VolumeMounts: []corev1.VolumeMount{{Name: "nginx-logs", MountPath: "/var/log/nginx"}},
					}},
					Volumes: []corev1.Volume{{Name: "nginx-logs", VolumeSource: corev1.VolumeSource{
						PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "nginx-logs"}}}},
				},
			},
		},
	}, metav1.CreateOptions{}))
	must(kube.CoreV1().Services(appNamespace).Create(ctx, &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "my-nginx", Labels: labels},
		Spec: corev1.ServiceSpec{
			Selector: labels, Type: corev1.ServiceTypeClusterIP,
			Ports: []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(80)}},
		},
	}, metav1.CreateOptions{}))
}
