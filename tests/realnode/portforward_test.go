package realnode_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// forwardingFrom is kubectl port-forward's line naming its local port.
var forwardingFrom = regexp.MustCompile(`Forwarding from 127\.0\.0\.1:(\d+) -> `)

// checkPortForward fetches / from the nginx of namespace ns through
// `kubectl port-forward` (apiserver, CONNECT proxy, kubelet, pod) on a
// port of the host's 127.0.0.1.
func checkPortForward(t *testing.T, ctx context.Context, bed *testbed.Bed, ns string) {
	t.Helper()
	bin, err := testbed.Tool("kubectl")
	if err != nil {
		t.Fatal(err)
	}
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	cmd := exec.CommandContext(pctx, bin, "--kubeconfig", bed.Kubeconfig, "-n", ns, "port-forward", "--address", "127.0.0.1", "deploy/nginx-deployment", ":80")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stop(); _ = cmd.Wait() }()
	sc := bufio.NewScanner(out)
	port := ""
	for port == "" && sc.Scan() {
		if m := forwardingFrom.FindStringSubmatch(sc.Text()); m != nil {
			port = m[1]
		}
	}
	if port == "" {
		t.Fatal("kubectl port-forward named no local port")
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	resp, err := http.Get("http://127.0.0.1:" + port + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Welcome to nginx") {
		t.Errorf("GET / through port-forward: %s\n%s", resp.Status, body)
	}
}
