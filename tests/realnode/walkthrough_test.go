package realnode_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/tests/nodeagents"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
)

const appNS = "nginx-example"

// TestWalkthroughOnRealNodes is the seed's walkthrough on real nodes, with
// the node agents as deploy/'s DaemonSet: nginx writes its logs into the
// PVC from inside its container, the backup copies them, the namespace is
// deleted, the restore brings the pod back, its restore-wait init
// container (the cairn image) holds it until the files are written, and
// `kubectl exec` reads them back byte-identical; `kubectl port-forward`
// reaches the restored nginx.
func TestWalkthroughOnRealNodes(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("real nodes need root")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	bed := startCairn(t, ctx)
	root, err := testbed.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	kubectl(t, ctx, bed, "apply", "-f", filepath.Join(root, "deploy/examples/nginx-with-pv.yaml"))
	kubectl(t, ctx, bed, "-n", appNS, "rollout", "status", "deployment/nginx-deployment", "--timeout=120s")
	// nginx logs the requests it serves into the PVC; a big log is written
	// from inside the container too.
	exec := func(script string) string {
		return kubectl(t, ctx, bed, "-n", appNS, "exec", "deploy/nginx-deployment", "--", "sh", "-c", script)
	}
	exec(`for i in $(seq 1 50); do wget -q -O /dev/null http://127.0.0.1/ || exit 1; done; head -c 20000000 /dev/urandom | base64 > /var/log/nginx/big.log`)
	const sums = "cd /var/log/nginx && sha256sum access.log big.log"
	before := exec(sums)
	if n := strings.Count(exec("cat /var/log/nginx/access.log"), "\n"); n < 50 {
		t.Fatalf("nginx logged %d lines for 50 requests", n)
	}

	cairnCLI(t, ctx, "backup", "create", "walk", "--selector", "app=nginx", "--wait")
	if out := cairnCLI(t, ctx, "backup", "describe", "walk", "--details"); !strings.Contains(out, "nginx-logs") {
		t.Errorf("backup describe:\n%s", out)
	}
	kubectl(t, ctx, bed, "delete", "namespace", appNS, "--wait=true", "--timeout=120s")

	cairnCLI(t, ctx, "restore", "create", "walk-restore", "--from-backup", "walk", "--wait")
	kubectl(t, ctx, bed, "-n", appNS, "rollout", "status", "deployment/nginx-deployment", "--timeout=120s")
	checkRestoreWait(t, ctx, bed)
	if after := exec(sums); after != before {
		t.Errorf("restored logs differ:\nbacked up:\n%s\nrestored:\n%s", before, after)
	}
	checkPortForward(t, ctx, bed, appNS) // last: nginx logs the request
}

// startCairn starts a bed on real nodes with Cairn on it: its namespace
// and default location, the control-plane worker in-process, and the node
// agents as deploy/'s DaemonSet.
func startCairn(t *testing.T, ctx context.Context) *testbed.Bed {
	t.Helper()
	dir := t.TempDir()
	bed, err := testbed.Start(ctx, testbed.Options{Dir: dir, RealNodes: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s", logsOf(dir))
		}
		bed.Stop()
	})
	const cairnNS = "cairn"
	store := bed.InstallCairn(t, ctx, cairnNS, "walk")
	runWorker(t, ctx, worker.Config{Kube: bed.RESTConfig, Locations: activities.KubeLocations{Store: store}, Logger: slog.New(slog.DiscardHandler)})
	root, err := testbed.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := nodeagents.Deploy(ctx, bed.RESTConfig, filepath.Join(root, "deploy"), nodeagents.Bed{
		Namespace: cairnNS, NodesDir: bed.NodesDir, APIServerPort: bed.Real.APIServerPort(),
		TemporalAddress: bed.Temporal.HostPort(), TemporalNamespace: bed.Temporal.Namespace(),
	}, len(bed.Nodes)); err != nil {
		t.Fatal(err)
	}
	t.Logf("node agents of deploy/ ready on %d nodes in %v", len(bed.Nodes), time.Since(start).Round(time.Millisecond))
	return bed
}

// checkRestoreWait checks that the restored pod's restore-wait init
// container, from the cairn image, ran and succeeded before nginx started.
func checkRestoreWait(t *testing.T, ctx context.Context, bed *testbed.Bed) {
	t.Helper()
	pods, err := bed.Kube.CoreV1().Pods(appNS).List(ctx, metav1.ListOptions{LabelSelector: "app=nginx"})
	if err != nil || len(pods.Items) != 1 {
		t.Fatalf("restored pods: %v, %v", pods, err)
	}
	p := pods.Items[0]
	for _, st := range p.Status.InitContainerStatuses {
		if st.Name == podvolume.InitContainerName && st.State.Terminated != nil && st.State.Terminated.ExitCode == 0 {
			t.Logf("restore-wait (%s) ran from %v to %v", st.Image, st.State.Terminated.StartedAt.Time.Format(time.TimeOnly), st.State.Terminated.FinishedAt.Time.Format(time.TimeOnly))
			return
		}
	}
	t.Errorf("the restored pod has no finished %s init container: %+v", podvolume.InitContainerName, p.Status.InitContainerStatuses)
}

// cairnCLI runs the cairn CLI in-process and fails the test on a non-zero exit.
func cairnCLI(t *testing.T, ctx context.Context, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Run(ctx, args, &out, &errOut); code != 0 {
		t.Fatalf("cairn %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	}
	return out.String()
}

// runWorker runs Cairn's control-plane worker in-process until the test ends.
func runWorker(t *testing.T, ctx context.Context, cfg worker.Config) {
	t.Helper()
	wctx, stop := context.WithCancel(ctx)
	ready := make(chan struct{})
	done := make(chan error, 1)
	cfg.Ready = func(string) { close(ready) }
	go func() { done <- worker.Run(wctx, cfg) }()
	t.Cleanup(func() { stop(); <-done })
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("worker: %v", err)
	}
}
