package podvolumes

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/s3"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/workflows"
)

// TestResumeAfterKill kills the node agent with SIGKILL in the middle of a
// 2 GiB pod volume, starts it again, and checks that the retried activity
// completes the backup having uploaded again at most 5% of the bytes that
// had already landed, and leaves no lock behind (the killed agent's is
// removed), so that plain restic check passes.
func TestResumeAfterKill(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	s := newStack(t, ctx, "cairn-resume")
	node := s.bed.Nodes[len(s.bed.Nodes)-1]
	const ns = "resume"
	kube := s.bed.Kube
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "big", Labels: map[string]string{"app": "big"},
			Annotations: map[string]string{podvolume.IncludeAnnotation: "data"}},
		Spec: corev1.PodSpec{
			NodeName:   node,
			Containers: []corev1.Container{testbed.IdleContainer("app", corev1.VolumeMount{Name: "data", MountPath: "/data"})},
			Volumes:    []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
		},
	}
	if _, err := kube.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	dir, err := s.bed.PodVolumeDir(ctx, ns, "big", "data")
	if err != nil {
		t.Fatal(err)
	}
	const fileSize, files = 256 << 20, 8
	writeRandom(t, dir, files, fileSize)
	total := int64(files * fileSize)

	be, err := s3.Open(ctx, s.bed.S3.Config(s.prefix+"/restic/"+ns))
	if err != nil {
		t.Fatal(err)
	}
	defer be.Close()

	agent := startAgentProcess(t, s, node)
	sc := &starter.Client{Temporal: dial(t)}
	if err := sc.StartBackup(ctx, workflows.BackupInput{Name: "big-backup", Spec: activities.BackupSpec{IncludedNamespaces: []string{ns}}}); err != nil {
		t.Fatal(err)
	}
	// Kill the agent once about half the volume has landed, and once
	// `backup describe --details` has shown the volume's live bytes.
	live := ""
	for packBytes(t, ctx, be) < total/2 || live == "" {
		if live == "" {
			out := cairn(t, ctx, 0, "backup", "describe", "big-backup", "--details")
			if i := strings.Index(out, "Progress:  "); i >= 0 && !strings.HasPrefix(out[i:], "Progress:  0 B") {
				live, _, _ = strings.Cut(out[i:], "\n")
				t.Logf("backup describe --details while the volume is backed up: %s", live)
			}
		}
		select {
		case <-ctx.Done():
			t.Fatal("the backup made no progress, or describe showed none")
		case <-time.After(100 * time.Millisecond):
		}
	}
	if !strings.Contains(live, " of 2.000 GiB, ") || !strings.Contains(live, " of 8 files") {
		t.Errorf("live progress %q, want the bytes and files of the whole volume", live)
	}
	if err := agent.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = agent.Wait()
	time.Sleep(time.Second) // let the S3 server drop the uploads that were cut
	landed := packBytes(t, ctx, be)
	killedAt := time.Now()

	startAgentProcess(t, s, node)
	res, err := sc.WaitBackup(ctx, "big-backup")
	if err != nil {
		t.Fatalf("backup after the restart: %v (%+v)", err, res)
	}
	if res.Phase != workflows.PhaseCompleted || len(res.PodVolumeBackups) != 1 || res.PodVolumeBackups[0].Phase != workflows.PhaseCompleted {
		t.Fatalf("backup %+v", res)
	}
	final := packBytes(t, ctx, be)
	// The retried attempt removed the lock of the attempt it replaced (its
	// ID was in that attempt's heartbeat), so no lock is left for restic to
	// refuse the repository over.
	var locks []string
	if err := be.List(ctx, backend.LockFile, func(fi backend.FileInfo) error { locks = append(locks, fi.Name); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(locks) != 0 {
		t.Errorf("locks left after the retry: %v", locks)
	}
	if out := s.restic(t, ctx, ns, "check"); !strings.Contains(out, "no errors were found") {
		t.Errorf("restic check after the retry:\n%s", out)
	}
	r, err := repo.Open(ctx, be, s.password(t, ctx), repo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	check, err := r.Check(ctx, repo.CheckOptions{})
	if err != nil || len(check.Problems) > 0 {
		t.Fatalf("check: %v %v", err, check.Problems)
	}
	// Data uploaded twice is either a blob the index lists in two packs, or
	// a pack no index lists (had recovery lost the packs that landed
	// before the kill, they would sit unindexed while the retry uploaded
	// their blobs again).
	if len(check.UnreferencedPacks) > 0 {
		t.Errorf("%d packs are in no index after the retry: the packs that landed before the kill were not recovered", len(check.UnreferencedPacks))
	}
	ratio := float64(check.DuplicateBytes) / float64(landed)
	pvb := res.PodVolumeBackups[0]
	msg := fmt.Sprintf("resume after SIGKILL: %.0f MiB of %.0f MiB had landed; the retry uploaded %.0f MiB more and %.0f MiB again (%.2f%% of what had landed; limit 5%%; %d unindexed packs), done %s after the kill; the retried attempt ran %s: it read the whole volume (%d files) at %.0f MiB/s and uploaded the rest at %.0f MiB/s",
		mib(landed), mib(total), mib(final-landed), mib(check.DuplicateBytes), 100*ratio, len(check.UnreferencedPacks), time.Since(killedAt).Round(time.Second),
		pvb.Duration.Round(time.Millisecond), pvb.Files, mib(total)/pvb.Duration.Seconds(), mib(final-landed)/pvb.Duration.Seconds())
	t.Log(msg)
	writeFigure(t, "resume.txt", msg)
	if ratio > 0.05 {
		t.Errorf("re-uploaded %.2f%% of the landed bytes, more than 5%%", 100*ratio)
	}
	if missing := total - landed; final-landed > missing+missing/20+64<<20 {
		t.Errorf("the retry uploaded %.0f MiB, but only %.0f MiB had not landed", mib(final-landed), mib(missing))
	}
	if got, err := r.FindSnapshot(ctx, res.PodVolumeBackups[0].SnapshotID); err != nil || got.Summary == nil || got.Summary.TotalBytesProcessed != uint64(total) {
		t.Errorf("snapshot %+v: %v", got, err)
	}
}

// startAgentProcess runs `cairn node-agent` for node as a child process (the
// test binary acting as the CLI) that the test can kill.
func startAgentProcess(t *testing.T, s *stack, node string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "node-agent", "--pods-dir", s.podsDir(node), "--metrics-address", "")
	cmd.Env = append(os.Environ(), agentEnv+"=1", worker.NodeNameEnv+"="+node)
	logf, err := os.Create(filepath.Join(t.TempDir(), "agent.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		_ = logf.Close()
	})
	return cmd
}

// packBytes is the total size of the packs in the repository's data/.
func packBytes(t *testing.T, ctx context.Context, be backend.Backend) int64 {
	t.Helper()
	var n int64
	err := be.List(ctx, backend.PackFile, func(fi backend.FileInfo) error {
		n += fi.Size
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// writeRandom writes files of incompressible data.
func writeRandom(t *testing.T, dir string, files, size int) {
	t.Helper()
	rng := rand.New(rand.NewChaCha8([32]byte{'r', 'e', 's', 'u', 'm', 'e'}))
	buf := make([]byte, 4<<20)
	for i := range files {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("part-%d.bin", i)))
		if err != nil {
			t.Fatal(err)
		}
		for written := 0; written < size; written += len(buf) {
			for k := 0; k < len(buf); k += 8 {
				v := rng.Uint64()
				for b := range 8 {
					buf[k+b] = byte(v >> (8 * b))
				}
			}
			if _, err := f.Write(buf); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }
