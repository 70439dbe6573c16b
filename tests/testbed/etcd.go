package testbed

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"

	"github.com/cairn-backup/cairn/tests/proc"
	"github.com/cairn-backup/cairn/worker/freeport"
)

// startEtcd runs etcd with its data under dir and returns its client URL.
func startEtcd(ctx context.Context, dir string) (*proc.Process, string, error) {
	bin, err := Tool("etcd")
	if err != nil {
		return nil, "", err
	}
	ports, err := freeport.Take(2)
	if err != nil {
		return nil, "", err
	}
	client := fmt.Sprintf("http://127.0.0.1:%d", ports[0])
	peer := fmt.Sprintf("http://127.0.0.1:%d", ports[1])
	p, err := proc.Start("etcd", bin, []string{
		"--name=testbed", "--data-dir=" + filepath.Join(dir, "etcd"),
		"--listen-client-urls=" + client, "--advertise-client-urls=" + client,
		"--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
		"--initial-cluster=testbed=" + peer, "--initial-cluster-state=new",
		"--unsafe-no-fsync", "--log-level=warn", "--quota-backend-bytes=8589934592",
	}, filepath.Join(dir, "logs"), []string{"ETCD_UNSUPPORTED_ARCH=amd64"})
	if err != nil {
		return nil, "", err
	}
	err = p.WaitFor(ctx, "etcd", func(ctx context.Context) error { return httpOK(ctx, http.DefaultClient, client+"/health") })
	if err != nil {
		p.Stop(0)
		return nil, "", err
	}
	return p, client, nil
}

func httpOK(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}
