package realnode_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// waitRunning waits until pod ns/name is Running.
func waitRunning(t *testing.T, ctx context.Context, bed *testbed.Bed, ns, name string) *corev1.Pod {
	t.Helper()
	var last string
	for ctx.Err() == nil {
		p, err := bed.Kube.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
		if err == nil && p.Status.Phase == corev1.PodRunning {
			return p
		}
		if err == nil {
			last = string(p.Status.Phase) + " " + p.Status.Message
			for _, st := range append(p.Status.InitContainerStatuses, p.Status.ContainerStatuses...) {
				if w := st.State.Waiting; w != nil {
					last += " " + st.Name + ": " + w.Reason + " " + w.Message
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("pod %s/%s not Running: %s\n%s", ns, name, last, logsOf(bed.Dir))
	return nil
}

// kubectl runs kubectl on the bed and returns its output.
func kubectl(t *testing.T, ctx context.Context, bed *testbed.Bed, args ...string) string {
	t.Helper()
	bin, err := testbed.Tool("kubectl")
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, append([]string{"--kubeconfig", bed.Kubeconfig}, args...)...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("kubectl %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String()
}

// logsOf is the end of the real nodes' logs and the apiserver's in dir.
func logsOf(dir string) string {
	var sb strings.Builder
	matches, _ := filepath.Glob(filepath.Join(dir, "logs", "*"))
	for _, m := range matches {
		if !strings.Contains(m, "kubelet") && !strings.Contains(m, "containerd") && !strings.Contains(m, "apiserver") {
			continue
		}
		data, _ := os.ReadFile(m)
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if len(lines) > 15 {
			lines = lines[len(lines)-15:]
		}
		sb.WriteString("== " + m + "\n" + strings.Join(lines, "\n") + "\n")
	}
	return sb.String()
}

// netnsList lists the network namespaces of `ip netns`.
func netnsList() map[string]bool {
	out, _ := exec.Command("ip", "netns", "list").CombinedOutput()
	names := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			names[f[0]] = true
		}
	}
	return names
}

// ownNetns picks from now the network namespaces this bed made: its own
// (names beginning with prefix) and the pods' (cni-*) that were not there
// before it started. The pods' are left out when another test bed ran
// meanwhile (make test runs packages at once), since theirs look the same.
func ownNetns(t *testing.T, before, now map[string]bool, prefix string) map[string]bool {
	t.Helper()
	own, others := map[string]bool{}, false
	for name := range now {
		switch {
		case strings.HasPrefix(name, prefix):
			own[name] = true
		case strings.HasPrefix(name, "cairn-"):
			others = true
		}
	}
	for name := range now {
		if strings.HasPrefix(name, "cni-") && !before[name] && !others {
			own[name] = true
		}
	}
	if others {
		t.Log("another test bed runs beside this one: checking only this bed's own network namespaces, not its pods'")
	}
	return own
}

// checkGone checks that nothing of the bed in dir is left: none of the
// network namespaces in made, no mount below dir, no process started from
// dir.
func checkGone(t *testing.T, dir string, made map[string]bool) {
	t.Helper()
	for name := range netnsList() {
		if made[name] {
			t.Errorf("network namespace left: %s", name)
		}
	}
	mi, _ := os.ReadFile("/proc/self/mountinfo")
	if strings.Contains(string(mi), dir) {
		t.Errorf("mounts left below %s", dir)
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		cl, _ := os.ReadFile(p)
		if bytes.Contains(cl, []byte(dir)) {
			t.Errorf("process left: %s", strings.ReplaceAll(string(cl), "\x00", " "))
		}
	}
}
