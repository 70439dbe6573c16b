package smoke

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic"
	"k8s.io/utils/ptr"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// TestKubeVersion checks that the apiserver is the pinned release.
func TestKubeVersion(t *testing.T) {
	bed := testbed.ForTest(t)
	v, err := bed.Kube.Discovery().ServerVersion()
	if err != nil {
		t.Fatal(err)
	}
	if v.GitVersion != "v1.34.2" {
		t.Fatalf("apiserver reports %s, want v1.34.2", v.GitVersion)
	}
	nodes, err := bed.Kube.CoreV1().Nodes().List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes.Items) != len(bed.Nodes) {
		t.Fatalf("%d nodes registered, want %d", len(nodes.Items), len(bed.Nodes))
	}
}

// TestKubeCustomResources creates a CRD, waits until it is Established, and
// creates, lists and deletes a custom resource through the dynamic client.
func TestKubeCustomResources(t *testing.T) {
	bed := testbed.ForTest(t)
	ctx := context.Background()
	ns := createNamespace(t, bed, "smoke-crd")
	ext := apiextensions.NewForConfigOrDie(bed.RESTConfig)
	crd := &apiextensionsv1.CustomResourceDefinition{
		ObjectMeta: metav1.ObjectMeta{Name: "widgets.smoke.cairn.dev"},
		Spec: apiextensionsv1.CustomResourceDefinitionSpec{
			Group: "smoke.cairn.dev", Scope: apiextensionsv1.NamespaceScoped,
			Names: apiextensionsv1.CustomResourceDefinitionNames{Plural: "widgets", Singular: "widget", Kind: "Widget", ListKind: "WidgetList"},
			Versions: []apiextensionsv1.CustomResourceDefinitionVersion{{
				Name: "v1", Served: true, Storage: true,
				Schema: &apiextensionsv1.CustomResourceValidation{OpenAPIV3Schema: &apiextensionsv1.JSONSchemaProps{
					Type: "object", XPreserveUnknownFields: ptr.To(true),
				}},
			}},
		},
	}
	if _, err := ext.ApiextensionsV1().CustomResourceDefinitions().Create(ctx, crd, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = ext.ApiextensionsV1().CustomResourceDefinitions().Delete(context.Background(), crd.Name, metav1.DeleteOptions{})
	})
	poll(t, "the CRD to be Established", func(ctx context.Context) (bool, error) {
		got, err := ext.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, crd.Name, metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		for _, c := range got.Status.Conditions {
			if c.Type == apiextensionsv1.Established && c.Status == apiextensionsv1.ConditionTrue {
				return true, nil
			}
		}
		return false, nil
	})
	dyn := dynamic.NewForConfigOrDie(bed.RESTConfig)
	gvr := schema.GroupVersionResource{Group: "smoke.cairn.dev", Version: "v1", Resource: "widgets"}
	widget := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "smoke.cairn.dev/v1", "kind": "Widget",
		"metadata": map[string]any{"name": "sprocket"}, "spec": map[string]any{"size": int64(3)},
	}}
	poll(t, "the custom resource to be created", func(ctx context.Context) (bool, error) {
		_, err := dyn.Resource(gvr).Namespace(ns).Create(ctx, widget, metav1.CreateOptions{})
		return err == nil, nil // the new API may take a moment to be served
	})
	list, err := dyn.Resource(gvr).Namespace(ns).List(ctx, metav1.ListOptions{})
	if err != nil || len(list.Items) != 1 || list.Items[0].GetName() != "sprocket" {
		t.Fatalf("listing widgets: %v %v", list, err)
	}
	if err := dyn.Resource(gvr).Namespace(ns).Delete(ctx, "sprocket", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestKubeWorkloads checks the controllers, the scheduler and the simulated
// kubelets together: a Deployment whose pod mounts a PVC and an emptyDir
// becomes Available, the PVC binds, the kubelet folders exist, and deleting
// the namespace finalizes.
func TestKubeWorkloads(t *testing.T) {
	bed := testbed.ForTest(t)
	ctx := context.Background()
	ns := createNamespace(t, bed, "smoke-workloads")
	pvc := &corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Name: "data", Namespace: ns},
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}},
		},
	}
	if _, err := bed.Kube.CoreV1().PersistentVolumeClaims(ns).Create(ctx, pvc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{"app": "web"}
	dep := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: ns},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](2),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{Name: "nginx", Image: "nginx:1.27", VolumeMounts: []corev1.VolumeMount{
						{Name: "data", MountPath: "/data"}, {Name: "scratch", MountPath: "/scratch"},
					}}},
					Volumes: []corev1.Volume{
						{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "data"}}},
						{Name: "scratch", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
					},
				},
			},
		},
	}
	poll(t, "the Deployment to be created (its namespace's service account appears first)", func(ctx context.Context) (bool, error) {
		_, err := bed.Kube.AppsV1().Deployments(ns).Create(ctx, dep, metav1.CreateOptions{})
		return err == nil || apierrors.IsAlreadyExists(err), nil
	})
	poll(t, "the Deployment to become Available", func(ctx context.Context) (bool, error) {
		got, err := bed.Kube.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		for _, c := range got.Status.Conditions {
			if c.Type == appsv1.DeploymentAvailable && c.Status == corev1.ConditionTrue {
				return got.Status.AvailableReplicas == 2, nil
			}
		}
		return false, nil
	})
	got, err := bed.Kube.CoreV1().PersistentVolumeClaims(ns).Get(ctx, "data", metav1.GetOptions{})
	if err != nil || got.Status.Phase != corev1.ClaimBound || got.Spec.VolumeName == "" {
		t.Fatalf("PVC: %v %v", got.Status.Phase, err)
	}
	pods, err := bed.Kube.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
	if err != nil || len(pods.Items) != 2 {
		t.Fatalf("pods: %v %v", pods, err)
	}
	for _, pod := range pods.Items {
		if !contains(bed.Nodes, pod.Spec.NodeName) {
			t.Fatalf("pod %s is bound to %q, not a simulated node", pod.Name, pod.Spec.NodeName)
		}
		for vol, want := range map[string]string{
			"data":    filepath.Join("volumes", "kubernetes.io~csi", got.Spec.VolumeName, "mount"),
			"scratch": filepath.Join("volumes", "kubernetes.io~empty-dir", "scratch"),
		} {
			dir, err := bed.PodVolumeDir(ctx, ns, pod.Name, vol)
			if err != nil {
				t.Fatal(err)
			}
			wantDir := filepath.Join(bed.NodesDir, pod.Spec.NodeName, "pods", string(pod.UID), want)
			if dir != wantDir {
				t.Fatalf("volume %s is at %s, want %s", vol, dir, wantDir)
			}
			if err := testbed.WriteFiles(dir, map[string][]byte{"hello.txt": []byte(pod.Name)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := bed.Kube.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	poll(t, "the namespace to finalize", func(ctx context.Context) (bool, error) {
		_, err := bed.Kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		return apierrors.IsNotFound(err), nil
	})
	for _, pod := range pods.Items {
		if _, err := os.Stat(filepath.Join(bed.NodesDir, pod.Spec.NodeName, "pods", string(pod.UID))); !os.IsNotExist(err) {
			t.Errorf("the kubelet folder of deleted pod %s is still there (%v)", pod.Name, err)
		}
	}
}

func createNamespace(t *testing.T, bed *testbed.Bed, name string) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if _, err := bed.Kube.CoreV1().Namespaces().Create(context.Background(), ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return name
}

func poll(t *testing.T, what string, cond func(context.Context) (bool, error)) {
	t.Helper()
	err := wait.PollUntilContextTimeout(context.Background(), 100*time.Millisecond, 90*time.Second, true,
		func(ctx context.Context) (bool, error) {
			ok, err := cond(ctx)
			if err != nil && !apierrors.IsNotFound(err) {
				t.Logf("waiting for %s: %v", what, err)
			}
			return ok, nil
		})
	if err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
