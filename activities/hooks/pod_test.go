package hooks

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// testPod is a running pod ns/db-0 labelled app=db, with containers app
// and sidecar, a native sidecar "proxy" and an init container "setup".
func testPod(annotations map[string]string) *corev1.Pod {
	always := corev1.ContainerRestartPolicyAlways
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "db-0", Labels: map[string]string{"app": "db"}, Annotations: annotations},
		Spec: corev1.PodSpec{
			InitContainers: []corev1.Container{{Name: "setup"}, {Name: "proxy", RestartPolicy: &always}},
			Containers:     []corev1.Container{{Name: "app"}, {Name: "sidecar"}},
		},
		Status: corev1.PodStatus{Phase: corev1.PodRunning},
	}
}

// checkProblem checks that got is empty when want is, and otherwise
// names the pod and contains every part of want (separated by "|").
func checkProblem(t *testing.T, got, want string) {
	t.Helper()
	if want == "" {
		if got != "" {
			t.Errorf("problem %q, want none", got)
		}
		return
	}
	if !strings.Contains(got, "ns/db-0") {
		t.Errorf("problem %q does not name the pod ns/db-0", got)
	}
	for _, part := range strings.Split(want, "|") {
		if !strings.Contains(got, part) {
			t.Errorf("problem %q, want it to contain %q", got, part)
		}
	}
}
