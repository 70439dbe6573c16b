package podvolumes

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/tests/testbed"
)

// veleroNS is the namespace Cairn is installed in for the velero CLI.
const veleroNS = "cairn-velero"

// TestVeleroCLIWalkthrough drives the stock velero v1.18.3 binary through
// the seed's walkthrough against `cairn server`, with no Velero server:
// version, backup with the selector and fs-backup of the nginx volume,
// describe --details, logs, download, delete the namespace, restore, the
// volume's files back byte for byte; then schedules from the CLI and from
// a manifest applied with kubectl, the repositories, and the deletion.
func TestVeleroCLIWalkthrough(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	bed := testbed.ForTest(t)
	if err := bed.DeleteNamespace(ctx, appNamespace); err != nil && !apierrors.IsNotFound(err) {
		t.Fatal(err)
	}
	s := &stack{bed: bed, store: bed.InstallCairn(t, ctx, veleroNS, veleroNS), cairnNS: veleroNS, prefix: veleroNS, agentMetrics: map[string]string{}}
	bed.ApplyVeleroCRDs(t, ctx)
	t.Cleanup(func() { cleanUpVelero(t, bed) })
	runServer(t, ctx, "--backup-sync-period", "2s", "--location-validation-frequency", "2s", "--metrics-address", "")
	s.startAgents(t, ctx, bed.Nodes...)
	v := veleroCLI(t, bed)

	if out := v(ctx, 0, "version"); !strings.Contains(out, "Client:\n\tVersion: v1.18.3") || !strings.Contains(out, "Server:\n\tVersion:") ||
		strings.Contains(out, "<error") {
		t.Errorf("velero version:\n%s", out)
	}
	bed.Kubectl(t, ctx, "apply", "-f", filepath.Join(moduleRoot(t), "deploy/examples/nginx-with-pv.yaml"))
	pod := runningPod(t, ctx, bed, appNamespace, "app=nginx")
	dir, err := bed.PodVolumeDir(ctx, appNamespace, pod.Name, "nginx-logs")
	if err != nil {
		t.Fatal(err)
	}
	writeVeleroFiles(t, dir)
	before := treeState(t, dir)

	out := v(ctx, 0, "backup", "create", "nginx-backup", "--selector", "app=nginx", "--wait")
	wantIn(t, "backup create --wait", out, "Backup completed with status: Completed")
	wantIn(t, "backup get", v(ctx, 0, "backup", "get"), "nginx-backup", "Completed")
	out = v(ctx, 0, "backup", "describe", "nginx-backup", "--details")
	wantIn(t, "backup describe --details", out, "Phase:  Completed", "v1/PersistentVolumeClaim:", "nginx-example/nginx-logs",
		"Pod Volume Backups", appNamespace+"/"+pod.Name+": nginx-logs")
	wantIn(t, "backup logs", v(ctx, 0, "backup", "logs", "nginx-backup"), "nginx-example")
	sameShape(t, v(ctx, 0, "backup", "get", "nginx-backup", "-o", "yaml"), cairn(t, ctx, 0, "backup", "get", "nginx-backup", "-o", "yaml"))
	tarball := filepath.Join(t.TempDir(), "nginx-backup.tar.gz")
	v(ctx, 0, "backup", "download", "nginx-backup", "-o", tarball)
	if fi, err := os.Stat(tarball); err != nil || fi.Size() == 0 {
		t.Errorf("backup download wrote no tarball: %v", err)
	}
	wantIn(t, "backup-location get", v(ctx, 0, "backup-location", "get"), "default", "Available")
	veleroLocations(t, ctx, bed, v)

	deleteNamespace(t, ctx, bed, appNamespace)
	out = v(ctx, 0, "restore", "create", "nginx-restore", "--from-backup", "nginx-backup", "--wait")
	wantIn(t, "restore create --wait", out, "Restore completed with status: Completed")
	wantIn(t, "restore describe", v(ctx, 0, "restore", "describe", "nginx-restore"), "Phase:", "Completed")
	restored := runningPod(t, ctx, bed, appNamespace, "app=nginx")
	newDir, err := bed.PodVolumeDir(ctx, appNamespace, restored.Name, "nginx-logs")
	if err != nil {
		t.Fatal(err)
	}
	after := treeState(t, newDir)
	for _, k := range []string{"seed/a.txt", "seed/b.bin", "seed/nested/c.txt"} {
		if before[k] == "" || after[k] != before[k] {
			t.Errorf("%s: backed up %q, restored %q", k, before[k], after[k])
		}
	}

	v(ctx, 0, "restore", "delete", "nginx-restore", "--confirm")
	eventuallyOut(t, ctx, "velero restore delete deletes Cairn's restore", func() string {
		return cairn(t, ctx, 0, "restore", "get")
	}, "!nginx-restore")
	if out := v(ctx, 0, "restore", "get"); strings.Contains(out, "nginx-restore") {
		t.Errorf("the deleted restore came back as an object:\n%s", out)
	}

	veleroSchedules(t, ctx, bed, v)
	wantIn(t, "repo get", eventuallyOut(t, ctx, "repo get lists the volume's repository", func() string {
		return v(ctx, 0, "repo", "get")
	}, appNamespace), appNamespace)

	v(ctx, 0, "backup", "delete", "nginx-backup", "--confirm")
	eventuallyOut(t, ctx, "backup delete removes the Backup object", func() string {
		if strings.Contains(v(ctx, 0, "backup", "get"), "nginx-backup ") {
			return ""
		}
		return "gone"
	}, "gone")
	if out := cairn(t, ctx, 0, "backup", "get"); strings.Contains(out, "nginx-backup ") {
		t.Errorf("cairn backup get after velero backup delete:\n%s", out)
	}
}

// cleanUpVelero deletes what the velero walkthrough leaves in the shared
// test bed for the package's other tests: its application, and the
// schedule should the test have stopped before deleting it.
func cleanUpVelero(t *testing.T, bed *testbed.Bed) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cairnRun := func(args ...string) { _ = cli.Run(ctx, args, io.Discard, io.Discard) }
	cairnRun("schedule", "delete", "nginx-daily", "--confirm")
	cairnRun("schedule", "delete", "gitops", "--confirm")
	if err := bed.DeleteNamespace(ctx, appNamespace); err != nil && !apierrors.IsNotFound(err) {
		t.Errorf("deleting %s: %v", appNamespace, err)
	}
}

// sameShape compares what `velero backup get NAME -o yaml` prints (the
// object the face wrote) with what `cairn backup get NAME -o yaml` prints
// (the object built from Temporal): every field velero prints, cairn
// prints too, with the same kind of value, and the values the user set
// and the outcome are equal. Only what the API server assigns
// (uid, resourceVersion, generation, managedFields) and the face's own
// annotation are velero's alone.
func sameShape(t *testing.T, veleroOut, cairnOut string) {
	t.Helper()
	var vo, co map[string]any
	if err := yaml.Unmarshal([]byte(veleroOut), &vo); err != nil {
		t.Fatalf("velero -o yaml: %v\n%s", err, veleroOut)
	}
	if err := yaml.Unmarshal([]byte(cairnOut), &co); err != nil {
		t.Fatalf("cairn -o yaml: %v\n%s", err, cairnOut)
	}
	server := map[string]bool{"metadata.uid": true, "metadata.resourceVersion": true, "metadata.generation": true, "metadata.managedFields": true}
	vp, cp := shapeOf("", vo), shapeOf("", co)
	for path, kind := range vp {
		if server[path] || strings.HasPrefix(path, "metadata.managedFields") {
			continue
		}
		if cp[path] != kind {
			t.Errorf("velero prints %s (%s), cairn prints %q", path, kind, cp[path])
		}
	}
	for _, path := range []string{"apiVersion", "kind", "metadata.name", "spec.labelSelector", "spec.storageLocation", "spec.ttl", "status.phase", "status.progress"} {
		if fmt.Sprint(pick(vo, path)) != fmt.Sprint(pick(co, path)) {
			t.Errorf("%s: velero prints %v, cairn %v", path, pick(vo, path), pick(co, path))
		}
	}
	if t.Failed() {
		t.Logf("velero backup get -o yaml:\n%s\ncairn backup get -o yaml:\n%s", veleroOut, cairnOut)
	}
}

// shapeOf maps every path of v to the kind of its value.
func shapeOf(prefix string, v any) map[string]string {
	out := map[string]string{}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := strings.TrimPrefix(prefix+"."+k, ".")
			out[p] = "object"
			for pp, kind := range shapeOf(p, e) {
				out[pp] = kind
			}
		}
	case []any:
		for _, e := range x {
			for pp, kind := range shapeOf(prefix+"[]", e) {
				out[pp] = kind
			}
		}
	default:
		out[prefix] = fmt.Sprintf("%T", v)
	}
	if m, ok := v.(map[string]any); ok && len(m) == 0 {
		out[prefix] = "object"
	}
	return out
}

// pick returns the value at a dotted path of v.
func pick(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// veleroLocations creates a second location with the velero CLI (its
// credentials in a Secret), sees Cairn validate it, makes it the default
// and the first one again.
func veleroLocations(t *testing.T, ctx context.Context, bed *testbed.Bed, v veleroFunc) {
	t.Helper()
	if _, err := bed.Kube.CoreV1().Secrets(veleroNS).Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "second-credentials"},
		Data:       map[string][]byte{"cloud": []byte(bed.S3.CredentialsFile())},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	v(ctx, 0, "backup-location", "create", "second", "--provider", "aws", "--bucket", bed.S3.Bucket, "--prefix", veleroNS+"-second",
		"--config", "region="+bed.S3.Region+",s3ForcePathStyle=true,s3Url="+bed.S3.URL, "--credential", "second-credentials=cloud")
	eventuallyOut(t, ctx, "Cairn validates the location the velero CLI made", func() string {
		return v(ctx, 0, "backup-location", "get", "second")
	}, "Available")
	v(ctx, 0, "backup-location", "set", "default", "--default=false") // velero refuses a second default
	v(ctx, 0, "backup-location", "set", "second", "--default")
	eventuallyOut(t, ctx, "velero backup-location set --default makes Cairn's default", func() string {
		return cairn(t, ctx, 0, "backup-location", "get", "--default")
	}, "second")
	v(ctx, 0, "backup-location", "set", "second", "--default=false")
	v(ctx, 0, "backup-location", "set", "default", "--default")
	eventuallyOut(t, ctx, "and back", func() string {
		return cairn(t, ctx, 0, "backup-location", "get", "--default")
	}, "default ")
}

// veleroSchedules creates, pauses and unpauses a schedule with the velero
// CLI, and has a Schedule applied with kubectl take backups.
func veleroSchedules(t *testing.T, ctx context.Context, bed *testbed.Bed, v veleroFunc) {
	t.Helper()
	v(ctx, 0, "schedule", "create", "nginx-daily", "--schedule", "0 1 * * *", "--selector", "app=nginx")
	wantIn(t, "schedule get", eventuallyOut(t, ctx, "the schedule is Enabled", func() string {
		return v(ctx, 0, "schedule", "get")
	}, "Enabled"), "nginx-daily", "0 1 * * *")
	v(ctx, 0, "schedule", "pause", "nginx-daily")
	eventuallyOut(t, ctx, "velero schedule pause pauses the Temporal Schedule", func() string {
		return cairn(t, ctx, 0, "schedule", "get", "nginx-daily")
	}, "true")
	v(ctx, 0, "schedule", "unpause", "nginx-daily")
	eventuallyOut(t, ctx, "velero schedule unpause unpauses it", func() string {
		return cairn(t, ctx, 0, "schedule", "get", "nginx-daily")
	}, "false")
	v(ctx, 0, "schedule", "delete", "nginx-daily", "--confirm")
	eventuallyOut(t, ctx, "velero schedule delete deletes the Temporal Schedule", func() string {
		return cairn(t, ctx, 0, "schedule", "get")
	}, "!nginx-daily")

	manifest := filepath.Join(t.TempDir(), "schedule.yaml")
	apply := func(cron, ttl string) {
		if err := os.WriteFile(manifest, []byte(fmt.Sprintf(`apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: gitops
  namespace: %s
spec:
  schedule: %q
  template:
    includedNamespaces: [%s]
    includedResources: [configmaps]
    ttl: %s
`, veleroNS, cron, appNamespace, ttl)), 0o644); err != nil {
			t.Fatal(err)
		}
		bed.Kubectl(t, ctx, "apply", "-f", manifest)
	}
	apply("@every 5s", "1h0m0s")
	eventuallyOut(t, ctx, "the applied Schedule takes a backup, labelled with its name", func() string {
		return v(ctx, 0, "backup", "get", "-l", "velero.io/schedule-name=gitops")
	}, "Completed")
	out := v(ctx, 0, "restore", "create", "from-gitops", "--from-schedule", "gitops", "--wait")
	wantIn(t, "restore create --from-schedule --wait", out, "Restore completed with status: Completed")
	wantIn(t, "restore describe of the schedule's restore", v(ctx, 0, "restore", "describe", "from-gitops"), "Backup:", "gitops-")
	// An edited manifest, applied again, changes the Temporal Schedule.
	apply("0 3 * * *", "2h0m0s")
	wantIn(t, "schedule describe after the edit", eventuallyOut(t, ctx, "the edited Schedule's cron reaches Temporal", func() string {
		return cairn(t, ctx, 0, "schedule", "describe", "gitops")
	}, "Schedule:  0 3 * * *"), "TTL:  2h0m0s")
	bed.Kubectl(t, ctx, "delete", "-f", manifest)
	eventuallyOut(t, ctx, "deleting the Schedule object deletes the Temporal Schedule", func() string {
		return cairn(t, ctx, 0, "schedule", "get")
	}, "!gitops")
}

// veleroFunc runs the velero CLI against Cairn's namespace and checks its
// exit code.
type veleroFunc func(ctx context.Context, wantCode int, args ...string) string

func veleroCLI(t *testing.T, bed *testbed.Bed) veleroFunc {
	bin, err := testbed.Tool("velero")
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	v := func(ctx context.Context, wantCode int, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, bin, append([]string{"-n", veleroNS, "--kubeconfig", bed.Kubeconfig}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+home)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != wantCode {
			t.Fatalf("velero %s: exit %d (%v), want %d\n%s", strings.Join(args, " "), code, err, wantCode, out.String())
		}
		return out.String()
	}
	v(context.Background(), 0, "client", "config", "set", "colorized=false")
	return v
}

// runServer runs `cairn server` in-process until the test ends.
func runServer(t *testing.T, ctx context.Context, args ...string) {
	t.Helper()
	sctx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	var out testbed.SyncBuffer
	go func() { done <- cli.Run(sctx, append([]string{"server"}, args...), &out, &out) }()
	t.Cleanup(func() {
		stop()
		if code := <-done; code != 0 {
			t.Errorf("cairn server: exit %d\n%s", code, out.String())
		}
		if t.Failed() {
			t.Logf("cairn server:\n%s", out.String())
		}
	})
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := testbed.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// writeVeleroFiles puts a few files into the volume beside nginx's logs.
func writeVeleroFiles(t *testing.T, dir string) {
	t.Helper()
	big := bytes.Repeat([]byte("cairn answers velero\n"), 50000)
	if err := testbed.WriteFiles(dir, map[string][]byte{
		"seed/a.txt": []byte("seed\n"), "seed/b.bin": big, "seed/nested/c.txt": []byte("nested\n"),
	}); err != nil {
		t.Fatal(err)
	}
}

// wantIn checks that out holds every one of want.
func wantIn(t *testing.T, what, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, out)
		}
	}
}

// eventuallyOut calls get every half second until its output holds want
// (or, for "!x", lacks x), and returns that output.
func eventuallyOut(t *testing.T, ctx context.Context, what string, get func() string, want string) string {
	t.Helper()
	for {
		out := get()
		if neg, ok := strings.CutPrefix(want, "!"); ok && !strings.Contains(out, neg) || !ok && strings.Contains(out, want) {
			return out
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: never saw %q; last:\n%s", what, want, out)
		case <-time.After(500 * time.Millisecond):
		}
	}
}
