package restore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// env is a test's clients.
type env struct {
	bed  *testbed.Bed
	kube kubernetes.Interface
	dyn  dynamic.Interface
	ext  apiextensions.Interface
}

func newEnv(t testing.TB) *env {
	bed := testbed.ForTest(t)
	cfg := rest.CopyConfig(bed.RESTConfig)
	cfg.QPS, cfg.Burst = 1000, 2000
	cfg.WarningHandler = rest.NoWarnings{}
	return &env{bed: bed, kube: kubernetes.NewForConfigOrDie(cfg), dyn: dynamic.NewForConfigOrDie(cfg),
		ext: apiextensions.NewForConfigOrDie(cfg)}
}

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// fixture is the application of the issue: a Deployment (with its
// ReplicaSet and Pods), Services, a ConfigMap, a Secret, a ServiceAccount, a
// bound PVC and its PV, a CRD with a custom resource, and a ClusterRole bound
// in the namespace.
type fixture struct {
	ns, crd, group, clusterRole, secretValue string
	widgets                                  schema.GroupVersionResource
}

func poll(t testing.TB, what string, timeout time.Duration, fn func(ctx context.Context) (bool, error)) {
	t.Helper()
	if err := wait.PollUntilContextTimeout(context.Background(), 200*time.Millisecond, timeout, true, fn); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
}

func newFixture(t testing.TB, e *env) *fixture {
	t.Helper()
	ctx := context.Background()
	sfx := randomSuffix()
	f := &fixture{ns: "app-" + sfx, group: "e2e" + sfx + ".cairn.dev", clusterRole: "reader-" + sfx, secretValue: "s3cr3t-" + sfx + "-value"}
	f.crd = "widgets." + f.group
	f.widgets = schema.GroupVersionResource{Group: f.group, Version: "v1", Resource: "widgets"}
	t.Cleanup(func() { f.cleanup(e) })
	_, err := e.kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: f.ns, Labels: map[string]string{"team": "a"}}}, metav1.CreateOptions{})
	must(t, err)
	f.createCRD(t, e, "Widget", "widgets", f.crd)
	poll(t, "the widget to be created", time.Minute, func(ctx context.Context) (bool, error) {
		_, err := e.dyn.Resource(f.widgets).Namespace(f.ns).Create(ctx, &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": f.group + "/v1", "kind": "Widget",
			"metadata": map[string]any{"name": "sprocket", "labels": map[string]any{"app": "web"}}, "spec": map[string]any{"size": int64(3)},
		}}, metav1.CreateOptions{})
		return err == nil || apierrors.IsAlreadyExists(err), nil
	})
	core := e.kube.CoreV1()
	_, err = core.ConfigMaps(f.ns).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "settings", Labels: map[string]string{"app": "web"}}, Data: map[string]string{"mode": "fast"}}, metav1.CreateOptions{})
	must(t, err)
	for _, l := range []string{"velero.io/exclude-from-backup", "cairn.io/exclude-from-backup"} {
		_, err = core.ConfigMaps(f.ns).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{GenerateName: "skipped-", Labels: map[string]string{l: "true", "app": "web"}}}, metav1.CreateOptions{})
		must(t, err)
	}
	_, err = core.Secrets(f.ns).Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "creds", Labels: map[string]string{"tier": "db"}}, StringData: map[string]string{"password": f.secretValue}}, metav1.CreateOptions{})
	must(t, err)
	_, err = core.ServiceAccounts(f.ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "robot"}}, metav1.CreateOptions{})
	must(t, err)
	_, err = core.PersistentVolumeClaims(f.ns).Create(ctx, &corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Name: "data", Labels: map[string]string{"store": f.ns}},
		Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}}},
	}, metav1.CreateOptions{})
	must(t, err)
	_, err = core.Services(f.ns).Create(ctx, &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: corev1.ServiceSpec{
		Selector: map[string]string{"app": "web"}, Ports: []corev1.ServicePort{{Name: "http", Port: 80}}}}, metav1.CreateOptions{})
	must(t, err)
	_, err = core.Services(f.ns).Create(ctx, &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web-np"}, Spec: corev1.ServiceSpec{
		Type: corev1.ServiceTypeNodePort, Selector: map[string]string{"app": "web"}, Ports: []corev1.ServicePort{{Name: "http", Port: 80}}}}, metav1.CreateOptions{})
	must(t, err)
	_, err = core.Services(f.ns).Create(ctx, &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web-headless"}, Spec: corev1.ServiceSpec{
		ClusterIP: "None", Selector: map[string]string{"app": "web"}, Ports: []corev1.ServicePort{{Name: "http", Port: 80}}}}, metav1.CreateOptions{})
	must(t, err)
	_, err = e.kube.RbacV1().ClusterRoles().Create(ctx, &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: f.clusterRole},
		Rules: []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"get"}}}}, metav1.CreateOptions{})
	must(t, err)
	_, err = e.kube.RbacV1().RoleBindings(f.ns).Create(ctx, &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "robot-reads"},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: f.clusterRole},
		Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: "robot", Namespace: f.ns}}}, metav1.CreateOptions{})
	must(t, err)
	labels := map[string]string{"app": "web"}
	dep := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web", Labels: labels}, Spec: appsv1.DeploymentSpec{
		Replicas: ptr.To[int32](2), Selector: &metav1.LabelSelector{MatchLabels: labels},
		Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: corev1.PodSpec{
			ServiceAccountName: "robot",
			Containers:         []corev1.Container{{Name: "nginx", Image: "nginx:1.27", VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/data"}}}},
			Volumes:            []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "data"}}}},
		}}}}
	poll(t, "the Deployment to be created", time.Minute, func(ctx context.Context) (bool, error) {
		_, err := e.kube.AppsV1().Deployments(f.ns).Create(ctx, dep, metav1.CreateOptions{})
		return err == nil || apierrors.IsAlreadyExists(err), nil
	})
	poll(t, "the Deployment to become Available and the PVC Bound", 2*time.Minute, func(ctx context.Context) (bool, error) {
		d, err := e.kube.AppsV1().Deployments(f.ns).Get(ctx, "web", metav1.GetOptions{})
		if err != nil || d.Status.AvailableReplicas != 2 {
			return false, nil
		}
		pvc, err := core.PersistentVolumeClaims(f.ns).Get(ctx, "data", metav1.GetOptions{})
		return err == nil && pvc.Status.Phase == corev1.ClaimBound, nil
	})
	return f
}

func (f *fixture) createCRD(t testing.TB, e *env, kind, plural, name string) {
	t.Helper()
	crd := &apiextensionsv1.CustomResourceDefinition{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: apiextensionsv1.CustomResourceDefinitionSpec{
			Group: f.group, Scope: apiextensionsv1.NamespaceScoped,
			Names: apiextensionsv1.CustomResourceDefinitionNames{Plural: plural, Singular: plural[:len(plural)-1], Kind: kind, ListKind: kind + "List", ShortNames: []string{plural[:3] + "x"}},
			Versions: []apiextensionsv1.CustomResourceDefinitionVersion{{
				Name: "v1", Served: true, Storage: true,
				Schema: &apiextensionsv1.CustomResourceValidation{OpenAPIV3Schema: &apiextensionsv1.JSONSchemaProps{Type: "object", XPreserveUnknownFields: ptr.To(true)}},
			}},
		},
	}
	_, err := e.ext.ApiextensionsV1().CustomResourceDefinitions().Create(context.Background(), crd, metav1.CreateOptions{})
	must(t, err)
}

// deleteNamespace deletes a namespace and waits until it is gone.
func deleteNamespace(t testing.TB, e *env, ns string) {
	t.Helper()
	if err := e.kube.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		t.Fatal(err)
	}
	poll(t, "namespace "+ns+" to finalize", 3*time.Minute, func(ctx context.Context) (bool, error) {
		_, err := e.kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		return apierrors.IsNotFound(err), nil
	})
}

// deleteCRD deletes a CRD (and so its objects) and waits until it is gone.
func deleteCRD(t testing.TB, e *env, name string) {
	t.Helper()
	_ = e.ext.ApiextensionsV1().CustomResourceDefinitions().Delete(context.Background(), name, metav1.DeleteOptions{})
	poll(t, "CRD "+name+" to be deleted", 2*time.Minute, func(ctx context.Context) (bool, error) {
		_, err := e.ext.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, name, metav1.GetOptions{})
		return apierrors.IsNotFound(err), nil
	})
}

func (f *fixture) cleanup(e *env) {
	ctx := context.Background()
	_ = e.kube.CoreV1().Namespaces().Delete(ctx, f.ns, metav1.DeleteOptions{})
	_ = e.ext.ApiextensionsV1().CustomResourceDefinitions().Delete(ctx, f.crd, metav1.DeleteOptions{})
	_ = e.kube.RbacV1().ClusterRoles().Delete(ctx, f.clusterRole, metav1.DeleteOptions{})
}

func (f *fixture) String() string { return fmt.Sprintf("fixture in %s", f.ns) }
