package podvolumes

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
)

// stack is the test bed with Cairn's namespace, a default location on the
// bed's bucket and the control-plane worker running in-process.
type stack struct {
	bed     *testbed.Bed
	store   *locations.Store
	cairnNS string
	prefix  string
	// metrics is the address of the worker's metrics; agentMetrics those
	// of the node agents, by node.
	metrics      string
	agentMetrics map[string]string
}

// newStack sets Cairn up on the test bed under its own namespace and
// bucket prefix.
func newStack(t *testing.T, ctx context.Context, cairnNS string) *stack {
	t.Helper()
	bed := testbed.ForTest(t)
	s := &stack{bed: bed, store: bed.InstallCairn(t, ctx, cairnNS, cairnNS), cairnNS: cairnNS, prefix: cairnNS, agentMetrics: map[string]string{}}
	s.metrics = testbed.RunWorker(t, ctx, func(ctx context.Context, ready func(string)) error {
		return worker.Run(ctx, worker.Config{Kube: bed.RESTConfig, Locations: activities.KubeLocations{Store: s.store},
			Logger: quiet(), Ready: ready, MetricsAddress: "127.0.0.1:0"})
	})
	return s
}

// startAgents runs an in-process node agent for each node.
func (s *stack) startAgents(t *testing.T, ctx context.Context, nodes ...string) {
	t.Helper()
	for _, node := range nodes {
		s.startAgent(t, ctx, node, 0)
	}
}

// startAgent runs the node agent of node in-process, working on up to
// concurrency volumes at once (0: the default).
func (s *stack) startAgent(t *testing.T, ctx context.Context, node string, concurrency int) {
	t.Helper()
	s.agentMetrics[node] = testbed.RunWorker(t, ctx, func(ctx context.Context, ready func(string)) error {
		return worker.RunNodeAgent(ctx, worker.NodeAgentConfig{
			Temporal: worker.Config{Locations: activities.KubeLocations{Store: s.store}, Logger: quiet(), Ready: ready, MetricsAddress: "127.0.0.1:0"},
			Node:     node, PodsDir: s.podsDir(node), Concurrency: concurrency,
		})
	})
}

func (s *stack) podsDir(node string) string { return filepath.Join(s.bed.NodesDir, node, "pods") }

// repoURL is restic's -r for the repository of namespace ns.
func (s *stack) repoURL(ns string) string {
	return "s3:" + s.bed.S3.URL + "/" + s.bed.S3.Bucket + "/" + s.prefix + "/restic/" + ns
}

// password is the location's repository password.
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

// restic runs the real restic on the repository of namespace ns.
func (s *stack) restic(t *testing.T, ctx context.Context, ns string, args ...string) string {
	t.Helper()
	bin, err := testbed.Tool("restic")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bin, append([]string{"-r", s.repoURL(ns), "--no-cache"}, args...)...)
	cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+s.password(t, ctx),
		"AWS_ACCESS_KEY_ID="+s.bed.S3.AccessKey, "AWS_SECRET_ACCESS_KEY="+s.bed.S3.SecretKey, "AWS_DEFAULT_REGION="+s.bed.S3.Region)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("restic %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// cairn runs the CLI and checks its exit code.
func cairn(t *testing.T, ctx context.Context, wantCode int, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Run(ctx, args, &out, &errOut); code != wantCode {
		t.Fatalf("cairn %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, wantCode, out.String(), errOut.String())
	}
	return out.String()
}

// runningPod waits for a Running pod of namespace ns with label app=value.
func runningPod(t *testing.T, ctx context.Context, bed *testbed.Bed, ns, selector string) *corev1.Pod {
	t.Helper()
	for {
		pods, err := bed.Kube.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
		if err == nil {
			for i := range pods.Items {
				if p := &pods.Items[i]; p.Status.Phase == corev1.PodRunning && p.DeletionTimestamp == nil {
					return p
				}
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no running pod %s in %s: %v", selector, ns, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func deleteNamespace(t *testing.T, ctx context.Context, bed *testbed.Bed, ns string) {
	t.Helper()
	if err := bed.DeleteNamespace(ctx, ns); err != nil {
		t.Fatal(err)
	}
}

// treeState describes every entry under dir: type, mode, size, mtime and,
// for files, the SHA-256 of the content.
func treeState(t *testing.T, dir string) map[string]string {
	t.Helper()
	sums, err := testbed.Digest(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		desc := fi.Mode().String()
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			desc += fmt.Sprintf(" %d:%d", st.Uid, st.Gid)
		}
		if fi.Mode().IsRegular() {
			desc += " " + fi.ModTime().UTC().Format(time.RFC3339Nano) + " " + sums[rel]
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			desc += " -> " + target
		}
		out[rel] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
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

// writeFigure keeps a measured figure in .tools/results of the module for
// the test run to print.
func writeFigure(t *testing.T, name, line string) {
	t.Helper()
	root, err := testbed.ModuleRoot()
	if err != nil {
		return
	}
	dir := filepath.Join(root, ".tools", "results")
	if os.MkdirAll(dir, 0o755) == nil {
		_ = os.WriteFile(filepath.Join(dir, name), []byte(line+"\n"), 0o644)
	}
}
