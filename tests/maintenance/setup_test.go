package maintenance

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/s3"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
)

// stack is Cairn on the test bed under its own namespace and bucket
// prefix, with its worker (whose metrics it scrapes) in-process.
type stack struct {
	bed     *testbed.Bed
	store   *locations.Store
	prefix  string
	metrics string // the worker's metrics address
}

// newStack installs Cairn in namespace cairnNS, with the default location
// at prefix cairnNS of the bucket, and runs a worker that validates the
// locations (and so reconciles their maintenance schedules) every second.
func newStack(t *testing.T, ctx context.Context, cairnNS string) *stack {
	t.Helper()
	bed := testbed.ForTest(t)
	s := &stack{bed: bed, store: bed.InstallCairn(t, ctx, cairnNS, cairnNS), prefix: cairnNS}
	s.metrics = testbed.RunWorker(t, ctx, func(ctx context.Context, ready func(string)) error {
		return worker.Run(ctx, worker.Config{Kube: bed.RESTConfig, Locations: activities.KubeLocations{Store: s.store},
			MetricsAddress: "127.0.0.1:0", LocationValidationFrequency: time.Second, Logger: quiet(), Ready: ready})
	})
	return s
}

// startAgent runs the node agent of node in-process.
func (s *stack) startAgent(t *testing.T, ctx context.Context, node string) {
	t.Helper()
	testbed.RunWorker(t, ctx, func(ctx context.Context, ready func(string)) error {
		return worker.RunNodeAgent(ctx, worker.NodeAgentConfig{
			Temporal: worker.Config{Locations: activities.KubeLocations{Store: s.store}, Logger: quiet(), Ready: ready},
			Node:     node, PodsDir: filepath.Join(s.bed.NodesDir, node, "pods"),
		})
	})
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// cairnRun runs the CLI and returns its exit code and outputs.
func cairnRun(ctx context.Context, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := cli.Run(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// cairn runs the CLI and checks its exit code.
func cairn(t *testing.T, ctx context.Context, wantCode int, args ...string) string {
	t.Helper()
	code, out, errOut := cairnRun(ctx, args...)
	if code != wantCode {
		t.Fatalf("cairn %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, wantCode, out, errOut)
	}
	return out
}

// repositories is what `cairn repo get` lists, by name, as the starter's
// client returns it (with Cairn's phases and sizes, which the velero.io/v1
// objects of `repo get -o json` do not carry).
func repositories(t *testing.T, ctx context.Context) map[string]starter.Repository {
	t.Helper()
	list, err := repoClient(t).ListRepositories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]starter.Repository{}
	for _, r := range list {
		out[r.Name] = r
	}
	return out
}

// eventually calls check every 250 ms until it returns nil or ctx ends.
func eventually(t *testing.T, ctx context.Context, what string, check func() error) {
	t.Helper()
	for {
		err := check()
		if err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: %v", what, err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// password is the default location's repository password.
func (s *stack) password(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := s.store.Get(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	pw, err := s.store.Password(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	return pw
}

// backend opens the folder restic/<folder> of the default location.
func (s *stack) backend(t *testing.T, ctx context.Context, folder string) backend.Backend {
	t.Helper()
	be, err := s3.Open(ctx, s.bed.S3.Config(s.prefix+"/restic/"+folder))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = be.Close() })
	return be
}

// size is the total size of the files of type ft in be.
func size(t *testing.T, ctx context.Context, be backend.Backend, ft backend.FileType) (int64, int) {
	t.Helper()
	var n int64
	files := 0
	if err := be.List(ctx, ft, func(fi backend.FileInfo) error { n += fi.Size; files++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n, files
}

// restic runs the real restic on the repository in restic/<folder>.
func (s *stack) restic(t *testing.T, ctx context.Context, folder string, args ...string) string {
	t.Helper()
	bin, err := testbed.Tool("restic")
	if err != nil {
		t.Fatal(err)
	}
	url := "s3:" + s.bed.S3.URL + "/" + s.bed.S3.Bucket + "/" + s.prefix + "/restic/" + folder
	cmd := exec.CommandContext(ctx, bin, append([]string{"-r", url, "--no-cache"}, args...)...)
	cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+s.password(t, ctx),
		"AWS_ACCESS_KEY_ID="+s.bed.S3.AccessKey, "AWS_SECRET_ACCESS_KEY="+s.bed.S3.SecretKey, "AWS_DEFAULT_REGION="+s.bed.S3.Region)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("restic %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// scrape returns the worker's metrics.
func (s *stack) scrape(t *testing.T) string {
	t.Helper()
	resp, err := http.Get("http://" + s.metrics + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

// dial connects a Temporal client to the test bed's server.
func dial(t *testing.T) client.Client {
	t.Helper()
	c, err := worker.Config{}.Dial(quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// createApp creates namespace ns with a running pod "app" on node whose
// emptyDir volume "data" is opted in to file-system backup, and returns
// the volume's folder.
func createApp(t *testing.T, ctx context.Context, bed *testbed.Bed, ns, node string) string {
	t.Helper()
	if _, err := bed.Kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "app", Labels: map[string]string{"app": ns},
			Annotations: map[string]string{podvolume.IncludeAnnotation: "data"}},
		Spec: corev1.PodSpec{
			NodeName:   node,
			Containers: []corev1.Container{testbed.IdleContainer("app", corev1.VolumeMount{Name: "data", MountPath: "/data"})},
			Volumes:    []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
		},
	}
	if _, err := bed.Kube.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	dir, err := bed.PodVolumeDir(ctx, ns, "app", "data")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// writeRandom writes file name under dir with size bytes of incompressible
// data drawn from seed.
func writeRandom(t *testing.T, dir, name string, size int, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 0x6d61696e74))
	data := make([]byte, size)
	for i := 0; i < len(data); i += 8 {
		v := rng.Uint64()
		for b := 0; b < 8 && i+b < len(data); b++ {
			data[i+b] = byte(v >> (8 * b))
		}
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// metric returns the value of the sample line of metric name with labels
// in body, and whether there is one.
func metric(body, name, labels string) (float64, bool) {
	prefix := name + "{" + labels + "} "
	for _, l := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(l, prefix); ok {
			var f float64
			_, err := fmt.Sscan(v, &f)
			return f, err == nil
		}
	}
	return 0, false
}

// repoClient is a starter client that reads the records of the locations
// of the namespace the CLI is pointed at.
func repoClient(t *testing.T) *starter.Client {
	t.Helper()
	store := locations.NewStore(testbed.ForTest(t).Kube, os.Getenv(locations.NamespaceEnv))
	return &starter.Client{Temporal: dial(t), Locations: activities.KubeLocations{Store: store}}
}
