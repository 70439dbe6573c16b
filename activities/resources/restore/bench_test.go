package restore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/resources/backup"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/activities/resources/restore"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend/s3"
)

// childJob is one backup or restore run by tests/cmd/resourcejob, a small
// binary built for the benchmark, so that the peak RSS measured is that of
// the work alone, not of a test binary linking the test bed's Temporal server.
type childJob struct {
	Op         string // "backup" or "restore"
	Kubeconfig string
	Repo       s3.Config
	Store      s3.Config
	Backup     string
	Namespaces []string // backup: included namespaces
	Mapping    map[string]string
}

// peakMemory samples process pid's /proc status every 20 ms until done is
// closed and returns, in MB, its peak resident set (VmHWM: a high-water mark
// that exec resets, unlike getrusage's ru_maxrss, which keeps the forking
// test binary's size) and its peak anonymous resident memory (RssAnon: heap
// and stacks).
func peakMemory(pid int, done <-chan struct{}) (hwm, anon float64) {
	var peakHWM, peakAnon int64
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				var kb int64
				if _, err := fmt.Sscanf(line, "RssAnon: %d kB", &kb); err == nil && kb > peakAnon {
					peakAnon = kb
				}
				if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kb); err == nil && kb > peakHWM {
					peakHWM = kb
				}
			}
		}
		select {
		case <-done:
			return float64(peakHWM) / 1024, float64(peakAnon) / 1024
		case <-tick.C:
		}
	}
}

// measure runs job in a child process and returns its wall time, peak RSS
// and peak anonymous RSS in MB, and its output.
func measure(b *testing.B, exe string, job childJob) (time.Duration, float64, float64, string) {
	b.Helper()
	data, _ := json.Marshal(job)
	cmd := exec.Command(exe)
	cmd.Stdin = strings.NewReader(string(data))
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	peaks := make(chan [2]float64)
	go func() {
		hwm, anon := peakMemory(cmd.Process.Pid, done)
		peaks <- [2]float64{hwm, anon}
	}()
	err := cmd.Wait()
	wall := time.Since(start)
	close(done)
	peak := <-peaks
	if err != nil {
		b.Fatalf("%s: %v\n%s", job.Op, err, stderr.String())
	}
	return wall, peak[0], peak[1], stdout.String()
}

// BenchmarkResources10k creates 10,000 ConfigMaps in 100 namespaces, backs
// them up to the test bed's S3 bucket and restores them into 100 mapped
// namespaces, each step in its own process, and reports wall time and peak
// RSS. Targets: backup ≤ 5 s, restore ≤ 40 s, peak RSS ≤ 200 MB (Velero
// 1.18.3: 46 s, 204 s, 140 MB).
func BenchmarkResources10k(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	prefix := "bench-" + randomSuffix()[:6]
	var namespaces []string
	mapping := map[string]string{}
	for i := range 100 {
		ns := fmt.Sprintf("%s-%03d", prefix, i)
		namespaces = append(namespaces, ns)
		mapping[ns] = ns + "-r"
	}
	b.Cleanup(func() {
		for _, ns := range namespaces {
			_ = e.kube.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{})
			_ = e.kube.CoreV1().Namespaces().Delete(ctx, mapping[ns], metav1.DeleteOptions{})
		}
	})
	start := time.Now()
	seed(b, e, namespaces, 100)
	b.Logf("created 10,000 ConfigMaps in 100 namespaces in %v", time.Since(start).Round(time.Millisecond))

	cfg := s3.Config{Endpoint: e.bed.S3.URL, Bucket: e.bed.S3.Bucket, Region: e.bed.S3.Region, PathStyle: true,
		AccessKeyID: e.bed.S3.AccessKey, SecretAccessKey: e.bed.S3.SecretKey}
	repoCfg, storeCfg := cfg, cfg
	repoCfg.Prefix, storeCfg.Prefix = prefix+"/restic/bench", prefix
	be, err := s3.Open(ctx, repoCfg)
	if err != nil {
		b.Fatal(err)
	}
	r, err := repo.Init(ctx, be, "bench", repo.Options{KDF: repo.TestKDFParams})
	if err != nil {
		b.Fatal(err)
	}
	_ = r.Close()
	exe := buildJob(b)
	job := childJob{Kubeconfig: e.bed.Kubeconfig, Repo: repoCfg, Store: storeCfg, Backup: prefix, Namespaces: []string{prefix + "-*"}, Mapping: mapping}
	b.ResetTimer()
	job.Op = "backup"
	bw, brss, banon, bout := measure(b, exe, job)
	job.Op = "restore"
	rw, rrss, ranon, rout := measure(b, exe, job)
	b.StopTimer()
	var br backup.Result
	var rr restore.Result
	_ = json.Unmarshal([]byte(bout), &br)
	_ = json.Unmarshal([]byte(rout), &rr)
	fmt.Printf("resources benchmark: backup of %d objects in %v (peak RSS %.0f MB, of which anonymous %.0f MB); "+
		"restore of %d objects (%d created, %d skipped, %d failed) in %v (peak RSS %.0f MB, anonymous %.0f MB)\n",
		br.Items, bw.Round(time.Millisecond), brss, banon, rr.Total, rr.Created, rr.Skipped, rr.Failed, rw.Round(time.Millisecond), rrss, ranon)
	fmt.Printf("targets: backup <= 5s: %v; restore <= 40s: %v; peak RSS <= 200 MB: %v, anonymous: %v (Velero 1.18.3: 46 s, 204 s, 140 MB)\n",
		bw <= 5*time.Second, rw <= 40*time.Second, max(brss, rrss) <= 200, max(banon, ranon) <= 200)
	b.ReportMetric(bw.Seconds(), "backup-s")
	b.ReportMetric(rw.Seconds(), "restore-s")
	b.ReportMetric(max(brss, rrss), "peak-RSS-MB")
	b.ReportMetric(max(banon, ranon), "peak-anon-RSS-MB")
	if br.Items < 10000 || rr.Failed > 0 || rr.Created < 10000 || br.Phase != metadata.PhaseCompleted || rr.Phase != metadata.PhaseCompleted {
		b.Fatalf("backup %+v\nrestore %+v", br, rr)
	}
}

// seed creates perNS ConfigMaps in each namespace, 32 requests at a time.
func seed(b *testing.B, e *env, namespaces []string, perNS int) {
	b.Helper()
	ctx := context.Background()
	work := make(chan [2]string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for w := range work {
				cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: w[1], Labels: map[string]string{"app": "bench"}},
					Data: map[string]string{"key": w[0] + "/" + w[1], "payload": "x-" + w[1]}}
				if _, err := e.kube.CoreV1().ConfigMaps(w[0]).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
				}
			}
		}()
	}
	for _, ns := range namespaces {
		if _, err := e.kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	for _, ns := range namespaces {
		for i := range perNS {
			work <- [2]string{ns, fmt.Sprintf("cm-%03d", i)}
		}
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		b.Fatal(firstErr)
	}
}

// buildJob builds tests/cmd/resourcejob and returns its path.
func buildJob(b *testing.B) string {
	b.Helper()
	exe := filepath.Join(b.TempDir(), "resourcejob")
	cmd := exec.Command("go", "build", "-o", exe, "github.com/cairn-backup/cairn/tests/cmd/resourcejob")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building the benchmark's job binary: %v\n%s", err, out)
	}
	return exe
}
