package hooks

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// TestBackupHooks runs a pod's pre and post hooks from Velero's
// annotations around the backup of its volume, in its real container: the
// pre hook's marker is in the volume's snapshot, the post hook's is not
// (but is in the volume afterwards), and describe and logs report both.
func TestBackupHooks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := newStack(t, ctx, "cairn-hooks", true)
	const ns = "hooks-app"
	s.createNamespace(t, ctx, ns)
	s.createPod(t, ctx, pod(ns, "db", map[string]string{
		"pre.hook.backup.velero.io/command":    `["sh", "-c", "echo frozen > /data/pre.marker"]`,
		"post.hook.backup.velero.io/command":   `["sh", "-c", "echo thawed > /data/post.marker"]`,
		"post.hook.backup.velero.io/container": "app",
		"post.hook.backup.velero.io/timeout":   "10s",
	}))
	s.execIn(t, ctx, ns, "db", "echo row1 > /data/table")

	cairn(t, ctx, 0, "backup", "create", "hooked", "--include-namespaces", ns, "--wait")
	b, err := s.client(t).DescribeBackup(ctx, "hooked")
	if err != nil {
		t.Fatal(err)
	}
	if b.Phase != "Completed" || len(b.Hooks) != 2 || len(b.PodVolumeBackups) != 1 {
		t.Fatalf("backup %s, hooks %+v, volumes %+v", b.Phase, b.Hooks, b.PodVolumeBackups)
	}
	for _, h := range b.Hooks {
		if h.Status != metadata.HookCompleted || h.Container != "app" || h.OnError != "Fail" {
			t.Errorf("hook %+v", h)
		}
	}
	if b.Hooks[0].Phase != "pre" || b.Hooks[1].Phase != "post" {
		t.Errorf("hooks ran in the order %s, %s", b.Hooks[0].Phase, b.Hooks[1].Phase)
	}
	files := s.restic(t, ctx, ns, "ls", b.PodVolumeBackups[0].SnapshotID)
	if !strings.Contains(files, "/pre.marker") || !strings.Contains(files, "/table") || strings.Contains(files, "post.marker") {
		t.Errorf("the snapshot holds:\n%s\nwant pre.marker and table, not post.marker", files)
	}
	if got := s.execIn(t, ctx, ns, "db", "cat /data/post.marker"); got != "thawed\n" {
		t.Errorf("post.marker after the backup: %q", got)
	}
	desc := cairn(t, ctx, 0, "backup", "describe", "hooked", "--details")
	for _, want := range []string{"HooksAttempted:  2", "HooksFailed:     0", "hooks-app/db pre hook <from-annotation>"} {
		if !strings.Contains(desc, want) {
			t.Errorf("describe lacks %q:\n%s", want, desc)
		}
	}
	logs := cairn(t, ctx, 0, "backup", "logs", "hooked")
	if n := strings.Count(logs, "exit code 0"); n != 2 {
		t.Errorf("logs name %d exit codes 0, want 2:\n%s", n, logs)
	}

	// A schedule's template carries the spec's hooks: a pod without hook
	// annotations gets the schedule's pre hook.
	s.createPod(t, ctx, pod(ns, "cache", nil))
	hooksFile := writeFile(t, "hooks.yaml", fmt.Sprintf(`resources:
  - name: flush-cache
    includedNamespaces: [%s]
    labelSelector: {matchLabels: {app: cache}}
    pre:
      - exec: {command: ["sh", "-c", "echo flushed > /data/flush.marker"]}
`, ns))
	cairn(t, ctx, 0, "schedule", "create", "hooked-daily", "--schedule", "@daily", "--include-namespaces", ns, "--hooks-file", hooksFile)
	t.Cleanup(func() { cairn(t, context.Background(), 0, "schedule", "delete", "hooked-daily", "--confirm") })
	out := cairn(t, ctx, 0, "backup", "create", "--from-schedule", "hooked-daily", "--wait")
	name := strings.Split(out, `"`)[1]
	sb, err := s.client(t).DescribeBackup(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	var flushed bool
	for _, h := range sb.Hooks {
		flushed = flushed || (h.Name == "flush-cache" && h.Pod == "cache" && h.Status == metadata.HookCompleted)
	}
	if !flushed || len(sb.Hooks) != 3 {
		t.Errorf("scheduled backup %s hooks %+v: want db's two and cache's flush-cache", name, sb.Hooks)
	}
}

// TestFailingHooks backs up pods whose hooks fail or are wrong beside one
// without hooks: a Fail hook that exits non-zero makes the backup
// PartiallyFailed, leaves its pod and its volume out and names the pod; a
// spec hook that sleeps past its timeout is cut off at the timeout; an
// unknown container, a timeout that does not parse, an on-error other
// than Fail/Continue and a pod that is not running each fail their hook
// with a message; the pod without hooks is backed up.
func TestFailingHooks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := newStack(t, ctx, "cairn-failing-hooks", true)
	const ns = "hooks-fail"
	s.createNamespace(t, ctx, ns)
	pods := map[string]map[string]string{
		"good": nil,
		"bad":  {"pre.hook.backup.velero.io/command": `["sh", "-c", "echo cannot-freeze >&2; exit 3"]`},
		"slow": nil, // the spec's hook
		"typo": {"pre.hook.backup.velero.io/command": "true", "pre.hook.backup.velero.io/container": "nosuch"},
		"soon": {"pre.hook.backup.velero.io/command": "true", "pre.hook.backup.velero.io/timeout": "soon"},
		"odd":  {"post.hook.backup.velero.io/command": "true", "post.hook.backup.velero.io/on-error": "Sometimes"},
	}
	for name, a := range pods {
		s.createPod(t, ctx, pod(ns, name, a))
	}
	// A pod that cannot be scheduled, so never runs: its hook cannot run.
	pending := pod(ns, "pending", map[string]string{"pre.hook.backup.velero.io/command": "true", "pre.hook.backup.velero.io/on-error": "Continue"})
	pending.Spec.NodeSelector = map[string]string{"cairn.test/no-such-node": "true"}
	if _, err := s.bed.Kube.CoreV1().Pods(ns).Create(ctx, pending, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	hooksFile := writeFile(t, "hooks.yaml", fmt.Sprintf(`resources:
  - name: slow-freeze
    includedNamespaces: [%s]
    labelSelector:
      matchLabels: {app: slow}
    pre:
      - exec:
          container: app
          command: ["sleep", "60"]
          onError: Continue
          timeout: 2s
`, ns))
	cairn(t, ctx, 1, "backup", "create", "failing", "--include-namespaces", ns, "--hooks-file", hooksFile, "--wait")
	sc := s.client(t)
	b, err := sc.DescribeBackup(ctx, "failing")
	if err != nil {
		t.Fatal(err)
	}
	if b.Phase != "PartiallyFailed" {
		t.Errorf("phase %s, want PartiallyFailed", b.Phase)
	}
	byPod := map[string]metadata.HookResult{}
	for _, h := range b.Hooks {
		byPod[h.Pod] = h
	}
	checkHook := func(pod, status, errorHas string) metadata.HookResult {
		t.Helper()
		h, ok := byPod[pod]
		if !ok || h.Status != status || !strings.Contains(h.Error, errorHas) {
			t.Errorf("hook of %s: %+v, want %s with %q", pod, h, status, errorHas)
		}
		return h
	}
	if h := checkHook("bad", "Failed", "code 3"); h.ExitCode != 3 || !strings.Contains(h.Stderr, "cannot-freeze") {
		t.Errorf("bad's hook: exit code %d, stderr %q", h.ExitCode, h.Stderr)
	}
	if h := checkHook("slow", "Failed", "timeout of 2s"); h.Duration < 2*time.Second || h.Duration > 8*time.Second {
		t.Errorf("slow's 2s hook was cut off after %v", h.Duration)
	}
	checkHook("typo", "Failed", "nosuch")
	checkHook("soon", "Failed", "soon")
	checkHook("odd", "Failed", "Sometimes")
	checkHook("pending", "Failed", "not Running")
	vols := map[string]string{}
	for _, v := range b.PodVolumeBackups {
		vols[v.Pod] = v.Phase
	}
	if vols["good"] != "Completed" || vols["slow"] != "Completed" || vols["bad"] != "Failed" {
		t.Errorf("pod volume backups %v: want good and slow Completed (slow's hook continues), bad Failed", vols)
	}
	list, err := sc.BackupResourceList(ctx, b.StorageLocation, "failing")
	if err != nil {
		t.Fatal(err)
	}
	backedUp := strings.Join(list["v1/Pod"], " ")
	if !strings.Contains(backedUp, ns+"/good") || strings.Contains(backedUp, ns+"/bad") {
		t.Errorf("pods backed up: %s; want good, not bad", backedUp)
	}
	logs := cairn(t, ctx, 0, "backup", "logs", "failing")
	for _, want := range []string{"pod " + ns + "/bad", "exit code 3", "cannot-freeze", "pod " + ns + "/bad is not backed up"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	desc := cairn(t, ctx, 0, "backup", "describe", "failing")
	if !strings.Contains(desc, "HooksAttempted:  6") || !strings.Contains(desc, "HooksFailed:     6") {
		t.Errorf("describe:\n%s", desc)
	}
}
