package e2e

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestRestoreSelectors: restore create --selector and --or-selector
// restore only the objects whose labels match, --from-schedule restores the
// schedule's newest Completed backup, and contradictory or bad flags are
// refused before anything starts.
func TestRestoreSelectors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	env := newCairnEnv(t, ctx, "cairn-restoresel", time.Hour)
	const ns = "sel-app"
	if _, err := env.bed.Kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, app := range []string{"a", "b", "c"} {
		cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cm-" + app, Labels: map[string]string{"app": app}}, Data: map[string]string{"k": app}}
		if _, err := env.bed.Kube.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	cairn(t, ctx, 0, "backup", "create", "sel-backup", "--include-namespaces", ns, "--wait")
	backupFlags(t, ctx, ns)

	restored := func(want ...string) {
		t.Helper()
		for _, app := range []string{"a", "b", "c"} {
			_, err := env.bed.Kube.CoreV1().ConfigMaps(ns).Get(ctx, "cm-"+app, metav1.GetOptions{})
			wanted := strings.Contains(strings.Join(want, ","), app)
			if wanted && err != nil || !wanted && !apierrors.IsNotFound(err) {
				t.Errorf("cm-%s after the restore: %v (want restored: %v)", app, err, wanted)
			}
		}
	}
	deleteNamespace(t, ctx, env.bed, ns)
	cairn(t, ctx, 0, "restore", "create", "sel-one", "--from-backup", "sel-backup", "--selector", "app=a", "--wait")
	restored("a")
	deleteNamespace(t, ctx, env.bed, ns)
	cairn(t, ctx, 0, "restore", "create", "sel-or", "--from-backup", "sel-backup", "--or-selector", "app=a or app=c", "--wait")
	restored("a", "c")
	if out := cairn(t, ctx, 0, "restore", "get", "sel-or", "-o", "yaml"); !strings.Contains(out, "orLabelSelectors:") || !strings.Contains(out, "app: c") {
		t.Errorf("restore get -o yaml shows no orLabelSelectors:\n%s", out)
	}

	// Refused before anything starts.
	for _, args := range [][]string{
		{"sel-bad", "--from-backup", "sel-backup", "--selector", "!!app"},
		{"sel-both", "--from-backup", "sel-backup", "--from-schedule", "nightly"},
		{"sel-two", "--from-backup", "sel-backup", "--selector", "app=a", "--or-selector", "app=b or app=c"},
		{"sel-mod", "--from-backup", "sel-backup", "--resource-modifier-configmap", "modifiers"},
	} {
		if code, out, errOut := cairnRun(ctx, append([]string{"restore", "create"}, args...)...); code == 0 || strings.Contains(out, "submitted") {
			t.Errorf("restore create %v: exit %d\n%s%s", args, code, out, errOut)
		}
		if _, err := findRestore(ctx, args[0]); err == nil {
			t.Errorf("restore %s exists after the refusal", args[0])
		}
	}

	// -o prints the object the create would make, and makes nothing.
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"backup", "create", "printed", "--include-namespaces", ns, "-o", "yaml"}, []string{"kind: Backup", "name: printed", "- " + ns}},
		{[]string{"restore", "create", "printed", "--from-backup", "sel-backup", "--selector", "app=a", "-o", "json"}, []string{`"kind": "Restore"`, `"backupName": "sel-backup"`, `"app": "a"`}},
		{[]string{"schedule", "create", "printed", "--schedule", "@daily", "--include-namespaces", ns, "-o", "yaml"}, []string{"kind: Schedule", "schedule: '@daily'"}},
	} {
		out := cairn(t, ctx, 0, tc.args...)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("cairn %v lacks %q:\n%s", tc.args, w, out)
			}
		}
	}
	if _, err := findBackup(t, ctx, "printed"); err == nil {
		t.Error("backup create -o created the backup")
	}
	if _, err := findRestore(ctx, "printed"); err == nil {
		t.Error("restore create -o created the restore")
	}
	if code, _, _ := cairnRun(ctx, "schedule", "describe", "printed"); code == 0 {
		t.Error("schedule create -o created the schedule")
	}

	// --from-schedule: the schedule's newest Completed backup.
	cairn(t, ctx, 0, "schedule", "create", "sel-sched", "--schedule", "@every 2s", "--include-namespaces", ns, "--include-resources", "configmaps")
	t.Cleanup(func() {
		cairnRun(context.Background(), "schedule", "delete", "sel-sched", "--confirm")
		waitScheduleIdle(t, env, "sel-sched")
	})
	code, _, errOut := cairnRun(ctx, "restore", "create", "too-soon", "--from-schedule", "no-such-schedule")
	if code == 0 || !strings.Contains(errOut, "no Completed backup") {
		t.Errorf("--from-schedule of a schedule without backups: exit %d, %s", code, errOut)
	}
	var latest string
	eventually(t, ctx, "a Completed backup of sel-sched", func() error {
		for _, b := range backups(t, ctx) {
			if strings.HasPrefix(b.Name, "sel-sched-") && b.Phase == "Completed" {
				latest = b.Name
				return nil
			}
		}
		return fmt.Errorf("none yet")
	})
	cairn(t, ctx, 0, "schedule", "pause", "sel-sched")
	deleteNamespace(t, ctx, env.bed, ns)
	code, out, errOut := cairnRun(ctx, "restore", "create", "--from-schedule", "sel-sched", "--allow-partially-failed", "--write-sparse-files", "--wait")
	if code != 0 || !strings.Contains(out, "Restore completed with status: Completed") || !strings.Contains(out, `"sel-sched-`) ||
		!strings.Contains(errOut, "--write-sparse-files has no effect") {
		t.Errorf("restore create --from-schedule: exit %d\n%s%s", code, out, errOut)
	}
	restored("a", "c") // the schedule backed up what the last restore had brought back
	t.Logf("the schedule's backups included %s", latest)
}

// backupFlags: the scoped filters and --ordered-resources shape a backup
// of namespace ns (ConfigMaps cm-a, cm-b, cm-c), --csi-snapshot-timeout is
// noted as having no effect, and --snapshot-volumes is refused.
func backupFlags(t *testing.T, ctx context.Context, ns string) {
	t.Helper()
	code, out, errOut := cairnRun(ctx, "backup", "create", "scoped", "--include-namespaces", ns,
		"--include-namespace-scoped-resources", "configmaps", "--ordered-resources", "configmaps="+ns+"/cm-c,"+ns+"/cm-b",
		"--csi-snapshot-timeout", "5m", "--wait")
	if code != 0 || !strings.Contains(errOut, "--csi-snapshot-timeout has no effect: no CSI snapshotter is configured") {
		t.Fatalf("backup create with scoped filters: exit %d\n%s%s", code, out, errOut)
	}
	logs := cairn(t, ctx, 0, "backup", "logs", "scoped")
	var order []string
	item := regexp.MustCompile(`msg="Backed up item" resource=(\S+) .*name=(\S+)$`)
	for _, line := range strings.Split(logs, "\n") {
		if m := item.FindStringSubmatch(line); m != nil && m[1] != "namespaces" { // the namespace itself goes with its objects
			order = append(order, m[1]+"/"+m[2])
		}
	}
	// Only ConfigMaps (the scoped filter), cm-c and cm-b first (the order),
	// then the rest as they come.
	if len(order) != 4 || order[0] != "configmaps/cm-c" || order[1] != "configmaps/cm-b" ||
		!slices.Contains(order, "configmaps/cm-a") || !slices.Contains(order, "configmaps/kube-root-ca.crt") {
		t.Errorf("backed up %v, want cm-c, cm-b, then cm-a and kube-root-ca.crt", order)
	}
	code, out, errOut = cairnRun(ctx, "backup", "create", "snapshotted", "--include-namespaces", ns, "--snapshot-volumes")
	if code == 0 || !strings.Contains(errOut, "Cairn takes no volume snapshots") {
		t.Errorf("backup create --snapshot-volumes: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := findBackup(t, ctx, "snapshotted"); err == nil {
		t.Error("the refused backup exists")
	}
}

// findRestore describes restore name through the CLI's JSON.
func findRestore(ctx context.Context, name string) (string, error) {
	code, out, errOut := cairnRun(ctx, "restore", "get", name, "-o", "json")
	if code != 0 {
		return "", fmt.Errorf("%s", errOut)
	}
	return out, nil
}
