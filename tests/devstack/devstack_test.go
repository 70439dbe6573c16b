// Package devstack tests `make dev-up` / `make dev-down` as a user runs
// them: the testbed command starts the stack in the background, writes
// .dev/env, runs the README's walkthrough, is safe to call twice, stops
// cleanly and restarts on its state.
package devstack

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/cairn-backup/cairn/tests/testbed"
)

func TestDevUpDown(t *testing.T) {
	root, err := testbed.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	bins := t.TempDir()
	bin, cairn := filepath.Join(bins, "testbed"), filepath.Join(bins, "cairn")
	for out, pkg := range map[string]string{bin: "./tests/cmd/testbed", cairn: "./starter/cmd/cairn"} {
		build := exec.Command("go", "build", "-o", out, pkg)
		build.Dir = root
		if msg, err := build.CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", pkg, err, msg)
		}
	}
	t.Setenv("CAIRN_BIN", cairn)
	dir := filepath.Join(t.TempDir(), ".dev")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			// The stack's own log is in the test's folder, removed after it.
			log, _ := os.ReadFile(filepath.Join(dir, "testbed.log"))
			lines := strings.Split(string(log), "\n")
			t.Fatalf("testbed %s: %v\n%s\nlast lines of testbed.log:\n%s", strings.Join(args, " "), err, out,
				strings.Join(lines[max(0, len(lines)-80):], "\n"))
		}
		return string(out)
	}
	t.Cleanup(func() { _ = exec.Command(bin, "down", "-dir", dir).Run() })

	run("up", "-dir", dir)
	env := readEnv(t, filepath.Join(dir, "env"))
	for _, name := range []string{"KUBECONFIG", "CAIRN_TEMPORAL_ADDRESS", "CAIRN_TEMPORAL_UI", "CAIRN_S3_URL",
		"CAIRN_S3_BUCKET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "CAIRN_DEV_NODES_DIR"} {
		if env[name] == "" {
			t.Errorf(".dev/env does not export %s", name)
		}
	}
	kubectl := func() string {
		t.Helper()
		cmd := exec.Command("bash", "-c", ". "+filepath.Join(dir, "env")+" && kubectl get nodes --no-headers")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("kubectl get nodes: %v\n%s", err, out)
		}
		return string(out)
	}
	if out := kubectl(); strings.Count(out, " Ready ") != 2 {
		t.Fatalf("kubectl get nodes after dev-up:\n%s", out)
	}
	// The CLI works against the stack at once: the worker runs and the default location is Available.
	cli := exec.Command("bash", "-c", ". "+filepath.Join(dir, "env")+" && "+cairn+" backup-location get default")
	if out, err := cli.CombinedOutput(); err != nil || !strings.Contains(string(out), "Available") {
		t.Fatalf("cairn backup-location get default: %v\n%s", err, out)
	}
	// The README's first command (make walkthrough) on this stack: the
	// seed's walkthrough through real pod volume backup and restore.
	walk := exec.Command(filepath.Join(root, "tests", "walkthrough.sh"))
	walk.Dir = root
	walk.Env = append(os.Environ(), "CAIRN_DEV_DIR="+dir, "CAIRN_TESTBED="+bin)
	if out, err := walk.CombinedOutput(); err != nil {
		t.Fatalf("tests/walkthrough.sh: %v\n%s", err, out)
	} else if !strings.Contains(string(out), "the restored log files are byte-identical") || !strings.Contains(string(out), "no errors were found") {
		t.Fatalf("tests/walkthrough.sh did not verify the restore:\n%s", out)
	} else {
		t.Logf("tests/walkthrough.sh:\n%s", out)
	}
	// The server's metrics, where .dev/env says, count the walkthrough's
	// backup and restore under Velero's names.
	if samples := testbed.Scrape(t, strings.TrimSuffix(strings.TrimPrefix(env["CAIRN_METRICS_URL"], "http://"), "/metrics")); samples[`velero_backup_success_total{schedule=""}`] < 1 ||
		samples[`velero_restore_success_total{schedule=""}`] < 1 {
		t.Errorf("%s counts no successful backup and restore", env["CAIRN_METRICS_URL"])
	}
	checkAgentMetrics(t, env["CAIRN_NODE_AGENT_METRICS_URLS"])
	pid := readPid(t, dir)
	if out := run("up", "-dir", dir); !strings.Contains(out, "already up") {
		t.Fatalf("a second dev-up: %s", out)
	}
	if readPid(t, dir) != pid {
		t.Fatal("a second dev-up started another stack")
	}
	run("down", "-dir", dir)
	if syscall.Kill(pid, 0) == nil {
		t.Fatalf("the stack's supervisor (pid %d) still runs after dev-down", pid)
	}
	if out, _ := exec.Command("pgrep", "-f", dir).Output(); len(out) > 0 {
		t.Fatalf("processes of the stack outlive dev-down: %s", out)
	}
	// The state survives: the same nodes come back, with the same S3 keys.
	run("up", "-dir", dir)
	if again := readEnv(t, filepath.Join(dir, "env")); again["AWS_SECRET_ACCESS_KEY"] != env["AWS_SECRET_ACCESS_KEY"] {
		t.Error("the S3 keys changed across a restart")
	}
	if out := kubectl(); strings.Count(out, " Ready ") != 2 {
		t.Fatalf("kubectl get nodes after a restart:\n%s", out)
	}
	run("down", "-dir", dir)
}

func readEnv(t *testing.T, path string) map[string]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "export ")
		if !ok {
			continue
		}
		name, value, _ := strings.Cut(line, "=")
		env[name] = strings.Trim(value, `'"`)
	}
	return env
}

func readPid(t *testing.T, dir string) int {
	data, err := os.ReadFile(filepath.Join(dir, "testbed.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// checkAgentMetrics scrapes each node agent where .dev/env says: one URL
// per node (2), each serving the agent's metrics, and the walkthrough's
// pod volume backup enqueued on some node.
func checkAgentMetrics(t *testing.T, urls string) {
	t.Helper()
	list := strings.Split(urls, ",")
	if urls == "" || len(list) != 2 {
		t.Fatalf("CAIRN_NODE_AGENT_METRICS_URLS %q: want one URL per node (2)", urls)
	}
	enqueued := 0.0
	for _, u := range list {
		addr, ok := strings.CutPrefix(u, "http://")
		addr, ok2 := strings.CutSuffix(addr, "/metrics")
		if !ok || !ok2 {
			t.Fatalf("node agent metrics URL %q is not http://host:port/metrics", u)
		}
		samples := testbed.Scrape(t, addr)
		if len(samples.Names("podVolume_pod_volume_backup_enqueue_count"))+len(samples.Names("cairn_node_agent_queue_backlog")) == 0 {
			t.Errorf("%s serves no node agent metrics: %v", u, samples.Names(""))
		}
		for series, v := range samples {
			if strings.HasPrefix(series, "podVolume_pod_volume_backup_enqueue_count{") {
				enqueued += v
			}
		}
	}
	if enqueued < 1 {
		t.Errorf("the node agents at %s count no enqueued pod volume backup", urls)
	}
}
