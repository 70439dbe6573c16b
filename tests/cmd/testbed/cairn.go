package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/tests/nodeagents"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker/freeport"
)

// cairnNamespace is where Cairn keeps its storage locations and secrets.
const cairnNamespace = "cairn"

// startCairn makes the dev stack ready for the cairn CLI: Cairn's namespace,
// a default backup storage location on the bucket (created with the CLI,
// from a credentials file like the seed's), and the controller worker
// (`cairn server`) and a node agent per node as children of the stack.
func startCairn(ctx context.Context, bed *testbed.Bed, dir string) error {
	cairn := os.Getenv("CAIRN_BIN") // the cairn binary; bin/cairn of the checkout by default
	if cairn == "" {
		root, err := testbed.ModuleRoot()
		if err != nil {
			return err
		}
		cairn = filepath.Join(root, "bin", "cairn")
	}
	if _, err := os.Stat(cairn); err != nil {
		return fmt.Errorf("%s is missing: run `make build`", cairn)
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: cairnNamespace}}
	if _, err := bed.Kube.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("creating namespace %s: %w", cairnNamespace, err)
	}
	env := []string{"KUBECONFIG=" + bed.Kubeconfig, "CAIRN_NAMESPACE=" + cairnNamespace,
		"CAIRN_TEMPORAL_ADDRESS=" + bed.Temporal.HostPort(), "CAIRN_TEMPORAL_NAMESPACE=" + bed.Temporal.Namespace()}
	run := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, cairn, args...)
		cmd.Env = append(os.Environ(), env...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}
	creds := filepath.Join(dir, "credentials-cairn")
	if err := os.WriteFile(creds, []byte(bed.S3.CredentialsFile()), 0o600); err != nil {
		return err
	}
	config := "region=" + bed.S3.Region + ",s3ForcePathStyle=\"true\",s3Url=" + bed.S3.URL
	if _, err := run("backup-location", "get", "default"); err != nil {
		out, err := run("backup-location", "create", "default", "--provider", "aws", "--bucket", bed.S3.Bucket,
			"--config", config, "--credential-file", creds, "--default")
		if err != nil {
			return fmt.Errorf("creating the default backup location: %v\n%s", err, out)
		}
	} else if out, err := run("backup-location", "set", "default", "--config", config, "--credential-file", creds); err != nil {
		// The S3 server listens on a new port after a restart.
		return fmt.Errorf("updating the default backup location: %v\n%s", err, out)
	}
	port, err := freeport.Take(1)
	if err != nil {
		return err
	}
	bed.ExtraEnv = append(bed.ExtraEnv, testbed.Var{Name: "CAIRN_NAMESPACE", Value: cairnNamespace},
		testbed.Var{Name: "CAIRN_METRICS_URL", Value: metricsURL(port[0])})
	if err := bed.StartProcess("cairn-server", cairn, []string{"server", "--metrics-address", "127.0.0.1:" + strconv.Itoa(port[0])}, env); err != nil {
		return err
	}
	if bed.Real != nil { // real nodes run deploy/'s DaemonSet
		return deployAgents(ctx, bed)
	}
	return startAgents(bed, cairn, env)
}

// startAgents runs one node agent per simulated node, as the DaemonSet
// runs them, each reading its node's kubelet pods folder and serving its
// metrics.
func startAgents(bed *testbed.Bed, cairn string, env []string) error {
	var urls []string
	for _, node := range bed.Nodes {
		port, err := freeport.Take(1)
		if err != nil {
			return err
		}
		args := []string{"node-agent", "--pods-dir", filepath.Join(bed.NodesDir, node, "pods"), "--metrics-address", "127.0.0.1:" + strconv.Itoa(port[0])}
		if err := bed.StartProcess("cairn-node-agent-"+node, cairn, args, append(env, "NODE_NAME="+node)); err != nil {
			return err
		}
		urls = append(urls, metricsURL(port[0]))
	}
	bed.ExtraEnv = append(bed.ExtraEnv, testbed.Var{Name: "CAIRN_NODE_AGENT_METRICS_URLS", Value: strings.Join(urls, ",")})
	return nil
}

// metricsURL is the /metrics URL of a process serving on 127.0.0.1:port.
func metricsURL(port int) string { return "http://127.0.0.1:" + strconv.Itoa(port) + "/metrics" }

// deployAgents runs the node agents on the real nodes as deploy/'s
// DaemonSet, from the cairn image the nodes imported, and exports their
// metrics URLs.
func deployAgents(ctx context.Context, bed *testbed.Bed) error {
	root, err := testbed.ModuleRoot()
	if err != nil {
		return err
	}
	dir := filepath.Join(root, "deploy")
	if err := nodeagents.Deploy(ctx, bed.RESTConfig, dir, nodeagents.Bed{
		Namespace: cairnNamespace, NodesDir: bed.NodesDir, APIServerPort: bed.Real.APIServerPort(),
		TemporalAddress: bed.Temporal.HostPort(), TemporalNamespace: bed.Temporal.Namespace(),
	}, len(bed.Nodes)); err != nil {
		return err
	}
	return exposeAgentMetrics(bed, dir)
}

// exposeAgentMetrics relays a port of the host's 127.0.0.1 to each real
// node's agent metrics port (the agent uses its node's network, which the
// host has no address on) and exports their URLs.
func exposeAgentMetrics(bed *testbed.Bed, dir string) error {
	objs, err := nodeagents.Load(dir)
	if err != nil {
		return err
	}
	port, err := nodeagents.MetricsPort(objs)
	if err != nil {
		return err
	}
	var urls []string
	for _, n := range bed.Real.Nodes {
		addr, err := n.Expose(port)
		if err != nil {
			return err
		}
		urls = append(urls, "http://"+addr+"/metrics")
	}
	bed.ExtraEnv = append(bed.ExtraEnv, testbed.Var{Name: "CAIRN_NODE_AGENT_METRICS_URLS", Value: strings.Join(urls, ",")})
	return nil
}
