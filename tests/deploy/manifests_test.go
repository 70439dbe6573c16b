package deploy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"
)

// TestKustomizationListsEveryManifest: a manifest left out of
// kustomization.yaml would silently not be installed.
func TestKustomizationListsEveryManifest(t *testing.T) {
	dir := deployDir(t)
	data, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var k struct{ Resources []string }
	if err := yaml.Unmarshal(data, &k); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	for _, f := range files {
		if name := filepath.Base(f); name != "kustomization.yaml" && !slices.Contains(k.Resources, name) {
			t.Errorf("deploy/%s is not a resource of deploy/kustomization.yaml", name)
		}
	}
}

// TestControllerManifest checks the Deployment of `cairn server`.
func TestControllerManifest(t *testing.T) {
	objs := render(t)
	dep := find[*appsv1.Deployment](t, objs, "cairn")
	spec := dep.Spec.Template.Spec
	c := spec.Containers[0]
	if len(c.Args) == 0 || c.Args[0] != "server" {
		t.Fatalf("the controller runs %q, want cairn server", c.Args)
	}
	checkMetrics(t, c)
	checkEnv(t, objs, dep.Namespace, c.Env)
	checkServiceAccount(t, objs, dep.Namespace, spec.ServiceAccountName)
	crb := find[*rbacv1.ClusterRoleBinding](t, objs, "cairn")
	if crb.RoleRef.Name != "cluster-admin" || !bound(crb.Subjects, dep.Namespace, spec.ServiceAccountName) {
		t.Errorf("ClusterRoleBinding cairn binds %v to %s, want the controller's service account to cluster-admin", crb.Subjects, crb.RoleRef.Name)
	}
}

// TestNodeAgentManifest checks the DaemonSet of `cairn node-agent`.
func TestNodeAgentManifest(t *testing.T) {
	objs := render(t)
	ds := find[*appsv1.DaemonSet](t, objs, "cairn-node-agent")
	spec := ds.Spec.Template.Spec
	c := spec.Containers[0]
	if want := []string{"node-agent", "--pods-dir", "/host_pods", "--concurrency", "2"}; len(c.Args) < len(want) || !slices.Equal(c.Args[:len(want)], want) {
		t.Errorf("the node agent runs %q, want %q first", c.Args, want)
	}
	checkMetrics(t, c)
	if v := envVar(c.Env, "NODE_NAME"); v == nil || v.ValueFrom == nil || v.ValueFrom.FieldRef == nil || v.ValueFrom.FieldRef.FieldPath != "spec.nodeName" {
		t.Errorf("NODE_NAME is %+v, want the field spec.nodeName", v)
	}
	checkEnv(t, objs, ds.Namespace, c.Env)
	checkServiceAccount(t, objs, ds.Namespace, spec.ServiceAccountName)
	var mount *corev1.VolumeMount
	for i := range c.VolumeMounts {
		if c.VolumeMounts[i].MountPath == "/host_pods" {
			mount = &c.VolumeMounts[i]
		}
	}
	if mount == nil || mount.ReadOnly || mount.MountPropagation == nil || *mount.MountPropagation != corev1.MountPropagationHostToContainer {
		t.Fatalf("/host_pods is mounted as %+v, want read-write with HostToContainer propagation", mount)
	}
	i := slices.IndexFunc(spec.Volumes, func(v corev1.Volume) bool { return v.Name == mount.Name })
	if i < 0 || spec.Volumes[i].HostPath == nil || spec.Volumes[i].HostPath.Path != "/var/lib/kubelet/pods" {
		t.Errorf("/host_pods is not the hostPath /var/lib/kubelet/pods: %+v", spec.Volumes)
	}
	uid := spec.SecurityContext.RunAsUser
	if c.SecurityContext != nil && c.SecurityContext.RunAsUser != nil {
		uid = c.SecurityContext.RunAsUser
	}
	if uid == nil || *uid != 0 {
		t.Errorf("the node agent runs as %v, want root", uid)
	}
	if !slices.ContainsFunc(spec.Tolerations, func(tl corev1.Toleration) bool {
		return tl.Key == "" && tl.Operator == corev1.TolerationOpExists && tl.Effect == ""
	}) {
		t.Errorf("tolerations %+v do not tolerate every taint", spec.Tolerations)
	}
}

// checkMetrics: the container port is the one of --metrics-address, and
// the probes ask /healthz there.
func checkMetrics(t *testing.T, c corev1.Container) {
	t.Helper()
	port := metricsPort(t, c.Args)
	if len(c.Ports) != 1 || c.Ports[0].ContainerPort != port {
		t.Fatalf("%s: container ports %v, want the metrics port %d", c.Name, c.Ports, port)
	}
	for what, p := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/healthz" || p.HTTPGet.Port.String() != c.Ports[0].Name {
			t.Errorf("%s: %s probe %+v, want GET /healthz on port %q", c.Name, what, p, c.Ports[0].Name)
		}
	}
}

// checkEnv: the Temporal settings come from a ConfigMap of the bundle that
// has those keys, and CAIRN_NAMESPACE is the pod's namespace.
func checkEnv(t *testing.T, objs []runtime.Object, ns string, env []corev1.EnvVar) {
	t.Helper()
	for _, name := range []string{"CAIRN_TEMPORAL_ADDRESS", "CAIRN_TEMPORAL_NAMESPACE"} {
		v := envVar(env, name)
		if v == nil || v.ValueFrom == nil || v.ValueFrom.ConfigMapKeyRef == nil {
			t.Errorf("%s is %+v, want a ConfigMap key", name, v)
			continue
		}
		ref := v.ValueFrom.ConfigMapKeyRef
		cm := find[*corev1.ConfigMap](t, objs, ref.Name)
		if cm.Namespace != ns || strings.TrimSpace(cm.Data[ref.Key]) == "" {
			t.Errorf("%s: ConfigMap %s/%s has no key %q", name, cm.Namespace, cm.Name, ref.Key)
		}
	}
	if v := envVar(env, "CAIRN_NAMESPACE"); v == nil || v.ValueFrom == nil || v.ValueFrom.FieldRef == nil || v.ValueFrom.FieldRef.FieldPath != "metadata.namespace" {
		t.Errorf("CAIRN_NAMESPACE is %+v, want the field metadata.namespace", v)
	}
}

func checkServiceAccount(t *testing.T, objs []runtime.Object, ns, name string) {
	t.Helper()
	if name == "" {
		t.Fatal("the pod runs as the default service account")
	}
	if sa := find[*corev1.ServiceAccount](t, objs, name); sa.Namespace != ns {
		t.Errorf("service account %s is in %s, not %s", name, sa.Namespace, ns)
	}
}

func bound(subjects []rbacv1.Subject, ns, sa string) bool {
	return slices.ContainsFunc(subjects, func(s rbacv1.Subject) bool {
		return s.Kind == rbacv1.ServiceAccountKind && s.Namespace == ns && s.Name == sa
	})
}

func envVar(env []corev1.EnvVar, name string) *corev1.EnvVar {
	for i := range env {
		if env[i].Name == name {
			return &env[i]
		}
	}
	return nil
}
