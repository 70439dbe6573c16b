package hooks

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
)

// stack is the shared test bed with Cairn installed under a namespace of
// the test's own.
type stack struct {
	bed     *testbed.Bed
	store   *locations.Store
	cairnNS string
}

// newStack installs Cairn on the bed under cairnNS (and a bucket prefix of
// the same name); with inProcess, it runs the control-plane worker and a
// node agent per node in the test's process.
func newStack(t *testing.T, ctx context.Context, cairnNS string, inProcess bool) *stack {
	t.Helper()
	bed := testbed.ForTest(t)
	s := &stack{bed: bed, store: bed.InstallCairn(t, ctx, cairnNS, cairnNS), cairnNS: cairnNS}
	if !inProcess {
		return s
	}
	locs := activities.KubeLocations{Store: s.store}
	testbed.RunWorker(t, ctx, func(ctx context.Context, ready func(string)) error {
		return worker.Run(ctx, worker.Config{Kube: bed.RESTConfig, Locations: locs, Logger: quiet(), Ready: ready})
	})
	for _, node := range bed.Nodes {
		testbed.RunWorker(t, ctx, func(ctx context.Context, ready func(string)) error {
			return worker.RunNodeAgent(ctx, worker.NodeAgentConfig{
				Temporal: worker.Config{Locations: locs, Logger: quiet(), Ready: ready},
				Node:     node, PodsDir: filepath.Join(bed.NodesDir, node, "pods"),
			})
		})
	}
	return s
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// cairn runs the CLI in-process and checks its exit code.
func cairn(t *testing.T, ctx context.Context, wantCode int, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Run(ctx, args, &out, &errOut); code != wantCode {
		t.Fatalf("cairn %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, wantCode, out.String(), errOut.String())
	}
	return out.String() + errOut.String()
}

// kubectl runs kubectl on the bed and returns its output.
func (s *stack) kubectl(t *testing.T, ctx context.Context, args ...string) string {
	t.Helper()
	bin, err := testbed.Tool("kubectl")
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, append([]string{"--kubeconfig", s.bed.Kubeconfig}, args...)...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("kubectl %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String()
}

// execIn runs a shell script in the first container of pod ns/name.
func (s *stack) execIn(t *testing.T, ctx context.Context, ns, pod, script string) string {
	t.Helper()
	return s.kubectl(t, ctx, "-n", ns, "exec", pod, "--", "sh", "-c", script)
}

// resticCmd is the real restic on the repository of namespace ns.
func (s *stack) resticCmd(t *testing.T, ctx context.Context, ns string, args ...string) *exec.Cmd {
	t.Helper()
	bin, err := testbed.Tool("restic")
	if err != nil {
		t.Fatal(err)
	}
	loc, err := s.store.Get(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	pw, err := s.store.Password(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	url := "s3:" + s.bed.S3.URL + "/" + s.bed.S3.Bucket + "/" + s.cairnNS + "/restic/" + ns
	cmd := exec.CommandContext(ctx, bin, append([]string{"-r", url, "--no-cache"}, args...)...)
	cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+pw,
		"AWS_ACCESS_KEY_ID="+s.bed.S3.AccessKey, "AWS_SECRET_ACCESS_KEY="+s.bed.S3.SecretKey, "AWS_DEFAULT_REGION="+s.bed.S3.Region)
	return cmd
}

// restic runs the real restic on the repository of namespace ns and
// returns its output.
func (s *stack) restic(t *testing.T, ctx context.Context, ns string, args ...string) string {
	t.Helper()
	out, err := s.resticCmd(t, ctx, ns, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("restic %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// createNamespace makes namespace ns for the test and deletes it after.
func (s *stack) createNamespace(t *testing.T, ctx context.Context, ns string) {
	t.Helper()
	if _, err := s.bed.Kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.bed.DeleteNamespace(context.Background(), ns) })
}

// createPod creates pod and waits until it runs (and is ready).
func (s *stack) createPod(t *testing.T, ctx context.Context, pod *corev1.Pod) *corev1.Pod {
	t.Helper()
	if _, err := s.bed.Kube.CoreV1().Pods(pod.Namespace).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return s.waitReady(t, ctx, pod.Namespace, pod.Name)
}

// waitReady waits until pod ns/name is Running and Ready.
func (s *stack) waitReady(t *testing.T, ctx context.Context, ns, name string) *corev1.Pod {
	t.Helper()
	var last string
	for ctx.Err() == nil {
		p, err := s.bed.Kube.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
		if err == nil && p.Status.Phase == corev1.PodRunning && ready(p) {
			return p
		}
		if err == nil {
			last = string(p.Status.Phase)
			for _, st := range append(p.Status.InitContainerStatuses, p.Status.ContainerStatuses...) {
				if w := st.State.Waiting; w != nil {
					last += " " + st.Name + ": " + w.Reason + " " + w.Message
				}
			}
		} else {
			last = err.Error()
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("pod %s/%s not ready: %s", ns, name, last)
	return nil
}

func ready(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// pod is a busybox pod on an emptyDir volume "data" at /data that Cairn
// backs up, with annotations.
func pod(ns, name string, annotations map[string]string) *corev1.Pod {
	a := map[string]string{"backup.velero.io/backup-volumes": "data"}
	for k, v := range annotations {
		a[k] = v
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: map[string]string{"app": name}, Annotations: a},
		Spec: corev1.PodSpec{
			TerminationGracePeriodSeconds: new(int64),
			Containers:                    []corev1.Container{testbed.IdleContainer("app", corev1.VolumeMount{Name: "data", MountPath: "/data"})},
			Volumes:                       []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
		},
	}
}

// writeFile writes content to a file of the test's temporary folder and
// returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// client is a starter client on the bed's Temporal and the stack's
// locations.
func (s *stack) client(t *testing.T) *starter.Client {
	t.Helper()
	c, err := worker.Config{}.Dial(quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return &starter.Client{Temporal: c, Locations: activities.KubeLocations{Store: s.store}}
}
