package deploy

import (
	"context"
	"strings"
	"testing"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// TestApply applies deploy/ to the test bed's apiserver: first with
// server-side dry runs (client-side and server-side apply), which must not
// change anything, then for real, after which the controller and a node
// agent on every node come up, the service accounts have exactly the
// permissions the manifests promise, and the velero.io CRDs serve Velero's
// objects.
func TestApply(t *testing.T) {
	bed := testbed.ForTest(t)
	dir := deployDir(t)
	ctx := context.Background()

	// The namespaced objects of a dry run need their namespace to exist, so
	// the Namespace goes first, itself dry-run.
	dryRuns := [][]string{
		{"apply", "--dry-run=server", "-f", dir + "/namespace.yaml"},
		{"apply", "--dry-run=server", "--server-side", "-f", dir + "/namespace.yaml"},
	}
	for _, args := range dryRuns {
		if out, err := kubectl(t, bed.Kubeconfig, args...); err != nil {
			t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if _, err := bed.Kube.CoreV1().Namespaces().Get(ctx, "cairn", metav1.GetOptions{}); err == nil {
		t.Fatal("a dry run created namespace cairn")
	}
	if out, err := kubectl(t, bed.Kubeconfig, "apply", "-f", dir+"/namespace.yaml"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"apply", "--dry-run=server", "-k", dir},
		{"apply", "--dry-run=server", "--server-side", "--field-manager=cairn-test", "-k", dir},
	} {
		out, err := kubectl(t, bed.Kubeconfig, args...)
		if err != nil {
			t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		t.Logf("kubectl %s:\n%s", strings.Join(args, " "), out)
	}
	if _, err := bed.Kube.AppsV1().DaemonSets("cairn").Get(ctx, "cairn-node-agent", metav1.GetOptions{}); err == nil {
		t.Fatal("a dry run created the DaemonSet")
	}

	if out, err := kubectl(t, bed.Kubeconfig, "apply", "-k", dir); err != nil {
		t.Fatalf("kubectl apply -k deploy/: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"-n", "cairn", "rollout", "status", "deployment/cairn", "--timeout=90s"},
		{"-n", "cairn", "rollout", "status", "daemonset/cairn-node-agent", "--timeout=90s"},
	} {
		if out, err := kubectl(t, bed.Kubeconfig, args...); err != nil {
			t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	err := wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
		ds, err := bed.Kube.AppsV1().DaemonSets("cairn").Get(ctx, "cairn-node-agent", metav1.GetOptions{})
		return err == nil && int(ds.Status.NumberReady) == len(bed.Nodes), nil
	})
	if err != nil {
		t.Fatalf("a node agent is not ready on each of the %d nodes: %v", len(bed.Nodes), err)
	}
	t.Run("permissions", func(t *testing.T) { checkPermissions(t, bed) })
	t.Run("velero API", func(t *testing.T) { checkVeleroAPI(t, bed) })
	t.Run("velero permissions", func(t *testing.T) { checkVeleroPermissions(t, bed) })
}

// checkPermissions asks the apiserver what each service account may do.
func checkPermissions(t *testing.T, bed *testbed.Bed) {
	for _, c := range []struct {
		sa, verb, resource, ns string
		want                   bool
	}{
		{"cairn-node-agent", "list", "pods", "", true},
		{"cairn-node-agent", "get", "pods", "nginx-example", true},
		{"cairn-node-agent", "get", "secrets", "cairn", true},
		{"cairn-node-agent", "list", "configmaps", "cairn", true},
		{"cairn-node-agent", "get", "secrets", "default", false},
		{"cairn-node-agent", "delete", "pods", "default", false},
		{"cairn-node-agent", "update", "configmaps", "cairn", false},
		{"cairn", "create", "clusterroles", "", true},
		{"cairn", "create", "deployments", "nginx-example", true},
		{"cairn", "list", "secrets", "", true},
	} {
		sar := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
			User:   "system:serviceaccount:cairn:" + c.sa,
			Groups: []string{"system:serviceaccounts", "system:serviceaccounts:cairn", "system:authenticated"},
			ResourceAttributes: &authorizationv1.ResourceAttributes{
				Namespace: c.ns, Verb: c.verb, Resource: c.resource, Group: groupOf(c.resource),
			},
		}}
		got, err := bed.Kube.AuthorizationV1().SubjectAccessReviews().Create(context.Background(), sar, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status.Allowed != c.want {
			t.Errorf("%s may %s %s in %q: %v, want %v", c.sa, c.verb, c.resource, c.ns, got.Status.Allowed, c.want)
		}
	}
}

func groupOf(resource string) string {
	switch resource {
	case "deployments":
		return "apps"
	case "clusterroles":
		return "rbac.authorization.k8s.io"
	}
	return ""
}
