package devcmd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/starter/devcmd"
	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
)

// TestDev runs `cairn dev` against the test bed's apiserver only (its own
// Temporal, worker, node agent and local location), backs a namespace with
// a pod volume up through it with `cairn backup create --wait`, stops it
// with SIGTERM, starts it again on the same data folder and finds the
// backup there.
func TestDev(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	bed := testbed.ForTest(t)
	const cairnNS, appNS = "cairn-dev", "dev-app"
	node := bed.Nodes[0]
	createApp(t, ctx, bed, appNS, node)
	dataDir := t.TempDir()

	dev := startDev(t, ctx, bed, dataDir, cairnNS, node, "0")
	addr := dev.env[worker.AddressEnv]
	if addr == "" || dev.env[worker.NamespaceEnv] != "default" || dev.env["CAIRN_NAMESPACE"] != cairnNS ||
		dev.env["KUBECONFIG"] != bed.Kubeconfig {
		t.Fatalf("env file: %v", dev.env)
	}
	for _, want := range []string{"Temporal:      " + addr, "Web UI:        http://127.0.0.1:", "Location:      default: " + filepath.Join(dataDir, "backups") + " (created, the default)",
		"Node agent:    node " + node, "export CAIRN_TEMPORAL_ADDRESS=" + addr} {
		if !strings.Contains(dev.stdout(), want) {
			t.Errorf("banner lacks %q:\n%s", want, dev.stdout())
		}
	}
	for _, url := range []string{dev.env["CAIRN_TEMPORAL_UI"] + "/", "http://" + dev.metrics + "/healthz"} {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", url, resp.Status)
		}
	}

	// A second one on the same folder is refused.
	second := exec.CommandContext(ctx, os.Args[0], "dev", "--kubeconfig", bed.Kubeconfig, "-n", cairnNS, "--data-dir", dataDir, "--temporal-port", "0", "--ui=false")
	second.Env = append(os.Environ(), cliEnv+"=1")
	if out, err := second.CombinedOutput(); err == nil || !strings.Contains(string(out), "another cairn dev runs on "+dataDir) {
		t.Errorf("a second cairn dev on the same folder: %v\n%s", err, out)
	}

	global := []string{"--kubeconfig", bed.Kubeconfig, "-n", cairnNS, "--temporal-address", addr}
	out := cairn(t, ctx, append([]string{"backup", "create", "dev-backup", "--include-namespaces", appNS, "--wait"}, global...)...)
	if !strings.Contains(out, "Backup completed with status: Completed") {
		t.Errorf("backup create:\n%s", out)
	}
	out = cairn(t, ctx, append([]string{"backup", "describe", "dev-backup", "--details"}, global...)...)
	for _, want := range []string{"Phase:  Completed", appNS + "/app: data", "v1/ConfigMap:"} {
		if !strings.Contains(out, want) {
			t.Errorf("describe lacks %q:\n%s", want, out)
		}
	}
	for _, p := range []string{"backups/backups/dev-backup/velero-backup.json", "backups/restic/" + appNS + "/config"} {
		if _, err := os.Stat(filepath.Join(dataDir, p)); err != nil {
			t.Errorf("the local location lacks %s: %v", p, err)
		}
	}
	dev.stop(t)

	// Again on the same folder and port: Temporal's state and the location stay.
	port := addr[strings.LastIndex(addr, ":")+1:]
	dev = startDev(t, ctx, bed, dataDir, cairnNS, node, port)
	if !strings.Contains(dev.stdout(), "(existing, the default)") {
		t.Errorf("restarted banner:\n%s", dev.stdout())
	}
	var b velerov1.Backup
	if err := json.Unmarshal([]byte(cairn(t, ctx, append([]string{"backup", "get", "dev-backup", "-o", "json"}, global...)...)), &b); err != nil {
		t.Fatal(err)
	}
	details := cairn(t, ctx, append([]string{"backup", "describe", "dev-backup", "--details"}, global...)...)
	if b.Kind != "Backup" || b.Status.Phase != velerov1.BackupPhaseCompleted || !strings.Contains(details, "      Phase:     Completed") {
		t.Errorf("backup after the restart: %+v\n%s", b, details)
	}
	dev.stop(t)
}

// devProcess is a running `cairn dev`.
type devProcess struct {
	cmd     *exec.Cmd
	env     map[string]string
	metrics string
	exited  chan struct{}
	mu      sync.Mutex
	out     bytes.Buffer
	errOut  bytes.Buffer
	waitErr error
}

func (d *devProcess) stdout() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.out.String()
}

func (d *devProcess) logs() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.out.String() + d.errOut.String()
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// startDev runs `cairn dev` as a child process (the test binary acting as
// the CLI) and returns once it has written its env file.
func startDev(t *testing.T, ctx context.Context, bed *testbed.Bed, dataDir, cairnNS, node, port string) *devProcess {
	t.Helper()
	d := &devProcess{exited: make(chan struct{})}
	d.cmd = exec.Command(os.Args[0], "dev", "--kubeconfig", bed.Kubeconfig, "-n", cairnNS, "--data-dir", dataDir,
		"--temporal-port", port, "--ui-port", "0", "--metrics-address", "127.0.0.1:0",
		"--node-name", node, "--pods-dir", filepath.Join(bed.NodesDir, node, "pods"), "--garbage-collection-frequency", "1h")
	d.cmd.Env = append(os.Environ(), cliEnv+"=1")
	d.cmd.Stdout, d.cmd.Stderr = lockedWriter{&d.mu, &d.out}, lockedWriter{&d.mu, &d.errOut}
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := d.cmd.Wait()
		d.mu.Lock()
		d.waitErr = err
		d.mu.Unlock()
		close(d.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-d.exited:
		default:
			_ = d.cmd.Process.Kill()
			<-d.exited
		}
		if t.Failed() {
			t.Logf("cairn dev output:\n%s", d.logs())
		}
	})
	envFile := filepath.Join(dataDir, devcmd.EnvFile)
	for {
		if data, err := os.ReadFile(envFile); err == nil {
			d.env = parseEnv(string(data))
			break
		}
		select {
		case <-d.exited:
			t.Fatalf("cairn dev exited (%v):\n%s", d.waitErr, d.logs())
		case <-ctx.Done():
			t.Fatalf("cairn dev is not ready:\n%s", d.logs())
		case <-time.After(100 * time.Millisecond):
		}
	}
	sc := bufio.NewScanner(strings.NewReader(d.stdout()))
	for sc.Scan() {
		if m, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "Metrics:"); ok {
			d.metrics = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(m), "http://"), "/metrics")
		}
	}
	return d
}

// stop sends SIGTERM and checks that cairn dev stops cleanly, soon, and
// removes its env file.
func (d *devProcess) stop(t *testing.T) {
	t.Helper()
	start := time.Now()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-d.exited:
	case <-time.After(time.Minute):
		t.Fatalf("cairn dev did not stop within a minute of SIGTERM:\n%s", d.logs())
	}
	var ee *exec.ExitError
	if d.waitErr != nil {
		if errors.As(d.waitErr, &ee) {
			t.Fatalf("cairn dev exited with %v after SIGTERM:\n%s", ee, d.logs())
		}
		t.Fatal(d.waitErr)
	}
	if !strings.Contains(d.stdout(), "Cairn dev stopped.") {
		t.Errorf("no farewell:\n%s", d.logs())
	}
	t.Logf("cairn dev stopped %v after SIGTERM", time.Since(start).Round(time.Millisecond))
}

// parseEnv reads the export lines of the env file (values unquoted, as
// the test's values need no quotes).
func parseEnv(s string) map[string]string {
	env := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if ok {
			env[k] = strings.Trim(v, "'")
		}
	}
	return env
}

// createApp creates namespace ns with a ConfigMap and a running pod on
// node whose emptyDir volume "data" is opted in to file-system backup.
func createApp(t *testing.T, ctx context.Context, bed *testbed.Bed, ns, node string) {
	t.Helper()
	kube := bed.Kube
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := kube.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "settings"}, Data: map[string]string{"mode": "dev"},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "app", Annotations: map[string]string{podvolume.IncludeAnnotation: "data"}},
		Spec: corev1.PodSpec{
			NodeName:   node,
			Containers: []corev1.Container{testbed.IdleContainer("app", corev1.VolumeMount{Name: "data", MountPath: "/data"})},
			Volumes:    []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
		},
	}
	if _, err := kube.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	dir, err := bed.PodVolumeDir(ctx, ns, "app", "data")
	if err != nil {
		t.Fatal(err)
	}
	if err := testbed.WriteFiles(dir, map[string][]byte{"notes.txt": []byte("kept by cairn dev\n")}); err != nil {
		t.Fatal(err)
	}
}

// cairn runs the CLI in-process and checks that it succeeds.
func cairn(t *testing.T, ctx context.Context, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Run(ctx, args, &out, &errOut); code != 0 {
		t.Fatalf("cairn %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	}
	return out.String()
}
