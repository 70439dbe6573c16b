package hooks

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/cairn-backup/cairn/activities/podvolume"
)

// TestRestoreHooks restores a pod with an init-container hook from the
// restore's spec and an exec hook from its annotations: the init container
// runs once, after restore-wait, and finds the volume's files back; the
// exec hook, with wait-for-ready, runs once, after the container is ready;
// restore describe lists it.
func TestRestoreHooks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := newStack(t, ctx, "cairn-restore-hooks", true)
	const ns = "hooks-restore"
	s.createNamespace(t, ctx, ns)
	web := pod(ns, "web", map[string]string{
		"post.hook.restore.velero.io/command":        `["sh", "-c", "test -f /tmp/ready && echo ran >> /data/exec-hook.log"]`,
		"post.hook.restore.velero.io/wait-for-ready": "true",
		"post.hook.restore.velero.io/on-error":       "Fail",
	})
	c := &web.Spec.Containers[0]
	c.Command = []string{"sh", "-c", "trap 'exit 0' TERM; sleep 3; touch /tmp/ready; while true; do sleep 1; done"}
	c.ReadinessProbe = &corev1.Probe{PeriodSeconds: 1,
		ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"test", "-f", "/tmp/ready"}}}}
	s.createPod(t, ctx, web)
	s.execIn(t, ctx, ns, "web", "echo payload > /data/file")
	cairn(t, ctx, 0, "backup", "create", "web", "--include-namespaces", ns, "--wait")
	if err := s.bed.DeleteNamespace(ctx, ns); err != nil {
		t.Fatal(err)
	}

	hooksFile := writeFile(t, "hooks.yaml", fmt.Sprintf(`resources:
  - name: check-data
    includedNamespaces: [%s]
    postHooks:
      - init:
          initContainers:
            - name: check-data
              image: busybox:1.35
              command: ["sh", "-c", "test -f /data/file && cp /data/file /data/seen-by-init"]
              volumeMounts: [{name: data, mountPath: /data}]
`, ns))
	cairn(t, ctx, 0, "restore", "create", "web-restore", "--from-backup", "web", "--hooks-file", hooksFile, "--wait")
	p := s.waitReady(t, ctx, ns, "web")
	var inits []string
	for _, st := range p.Status.InitContainerStatuses {
		inits = append(inits, st.Name)
		if st.Name == "check-data" && (st.RestartCount != 0 || st.State.Terminated == nil || st.State.Terminated.ExitCode != 0) {
			t.Errorf("the init-container hook ran %d times more, ended %+v", st.RestartCount, st.State)
		}
	}
	if strings.Join(inits, ",") != podvolume.InitContainerName+",check-data" {
		t.Errorf("init containers %v, want %s then check-data", inits, podvolume.InitContainerName)
	}
	if got := s.execIn(t, ctx, ns, "web", "cat /data/seen-by-init"); got != "payload\n" {
		t.Errorf("the init hook saw %q", got)
	}
	if got := s.execIn(t, ctx, ns, "web", "cat /data/exec-hook.log"); got != "ran\n" {
		t.Errorf("exec-hook.log %q: want the hook to have run once, when ready", got)
	}
	r, err := s.client(t).DescribeRestore(ctx, "web-restore")
	if err != nil {
		t.Fatal(err)
	}
	if r.Phase != "Completed" || len(r.Hooks) != 1 || r.Hooks[0].Status != "Completed" {
		t.Errorf("restore %s, hooks %+v", r.Phase, r.Hooks)
	}
	desc := cairn(t, ctx, 0, "restore", "describe", "web-restore")
	for _, want := range []string{"HooksAttempted:  1", "HooksFailed:     0", ns + "/web post hook <from-annotation>"} {
		if !strings.Contains(desc, want) {
			t.Errorf("restore describe lacks %q:\n%s", want, desc)
		}
	}
	if logs := cairn(t, ctx, 0, "restore", "logs", "web-restore"); !strings.Contains(logs, "post hook <from-annotation> of pod "+ns+"/web") {
		t.Errorf("restore logs:\n%s", logs)
	}
}
