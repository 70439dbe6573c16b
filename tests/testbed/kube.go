package testbed

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/cairn-backup/cairn/tests/proc"
	"github.com/cairn-backup/cairn/worker/freeport"
)

// kubeControlPlane is the running kube-apiserver, controller manager and scheduler.
type kubeControlPlane struct {
	procs      []*proc.Process
	url        string
	kubeconfig string
	config     *rest.Config
}

// startKube starts the control plane; prepare, when set, readies what the
// apiserver's extra flags it returns name (the real nodes' proxy and
// certificates) once the certificates exist.
func startKube(ctx context.Context, dir, etcdURL string, prepare func(*pki) ([]string, error)) (*kubeControlPlane, error) {
	var bins [3]string
	for i, name := range []string{"kube-apiserver", "kube-controller-manager", "kube-scheduler"} {
		bin, err := Tool(name)
		if err != nil {
			return nil, err
		}
		bins[i] = bin
	}
	certs, err := makePKI(filepath.Join(dir, "pki"))
	if err != nil {
		return nil, fmt.Errorf("making the control plane's certificates: %w", err)
	}
	ports, err := freeport.Take(3)
	if err != nil {
		return nil, err
	}
	kc := &kubeControlPlane{url: "https://127.0.0.1:" + strconv.Itoa(ports[0])}
	kc.kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := writeKubeconfig(kc.kubeconfig, kc.url, certs); err != nil {
		return nil, err
	}
	kc.config, err = clientcmd.BuildConfigFromFlags("", kc.kubeconfig)
	if err != nil {
		return nil, err
	}
	kc.config.QPS, kc.config.Burst = 200, 400
	logs := filepath.Join(dir, "logs")
	var extra []string
	if prepare != nil {
		if extra, err = prepare(certs); err != nil {
			return nil, err
		}
	}
	api, err := proc.Start("kube-apiserver", bins[0], append([]string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + strconv.Itoa(ports[0]),
		"--tls-cert-file=" + certs.ServerCert, "--tls-private-key-file=" + certs.ServerKey,
		"--client-ca-file=" + certs.CACert,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + certs.SAPub, "--service-account-signing-key-file=" + certs.SAKey,
		"--service-cluster-ip-range=10.96.0.0/16", "--service-node-port-range=30000-32767",
		"--authorization-mode=RBAC", "--allow-privileged=true",
		"--endpoint-reconciler-type=none", "--profiling=false", "--v=1",
	}, extra...), logs, nil)
	if err != nil {
		return nil, err
	}
	kc.procs = append(kc.procs, api)
	httpClient, err := tlsClient(certs)
	if err != nil {
		kc.stop()
		return nil, err
	}
	if err := api.WaitFor(ctx, "kube-apiserver", func(ctx context.Context) error {
		return httpOK(ctx, httpClient, kc.url+"/readyz")
	}); err != nil {
		kc.stop()
		return nil, err
	}
	common := func(port int) []string {
		return []string{
			"--kubeconfig=" + kc.kubeconfig,
			"--authentication-kubeconfig=" + kc.kubeconfig, "--authorization-kubeconfig=" + kc.kubeconfig,
			"--bind-address=127.0.0.1", "--secure-port=" + strconv.Itoa(port),
			"--leader-elect=false", "--v=1",
		}
	}
	cm, err := proc.Start("kube-controller-manager", bins[1], append(common(ports[1]),
		"--service-account-private-key-file="+certs.SAKey, "--root-ca-file="+certs.CACert,
		"--cluster-signing-cert-file="+certs.CACert, "--cluster-signing-key-file="+certs.CAKey,
		"--use-service-account-credentials=false", "--controllers=*",
		"--concurrent-deployment-syncs=10", "--concurrent-replicaset-syncs=10", "--concurrent-namespace-syncs=10",
		"--kube-api-qps=200", "--kube-api-burst=400",
	), logs, nil)
	if err != nil {
		kc.stop()
		return nil, err
	}
	kc.procs = append(kc.procs, cm)
	sched, err := proc.Start("kube-scheduler", bins[2], common(ports[2]), logs, nil)
	if err != nil {
		kc.stop()
		return nil, err
	}
	kc.procs = append(kc.procs, sched)
	insecure := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // self-signed serving certs of the local components
	}}
	for i, p := range []*proc.Process{cm, sched} {
		url := "https://127.0.0.1:" + strconv.Itoa(ports[1+i]) + "/healthz"
		if err := p.WaitFor(ctx, p.Name, func(ctx context.Context) error { return httpOK(ctx, insecure, url) }); err != nil {
			kc.stop()
			return nil, err
		}
	}
	return kc, nil
}

func (kc *kubeControlPlane) stop() {
	for i := len(kc.procs) - 1; i >= 0; i-- {
		kc.procs[i].Stop(10 * time.Second)
	}
}

func tlsClient(certs *pki) (*http.Client, error) {
	pair, err := tls.LoadX509KeyPair(certs.AdminCert, certs.AdminKey)
	if err != nil {
		return nil, err
	}
	caPEM, err := os.ReadFile(certs.CACert)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	return &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{Certificates: []tls.Certificate{pair}, RootCAs: pool},
	}}, nil
}

func writeKubeconfig(path, server string, certs *pki) error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["cairn-testbed"] = &clientcmdapi.Cluster{Server: server, CertificateAuthority: certs.CACert}
	cfg.AuthInfos["cairn-admin"] = &clientcmdapi.AuthInfo{
		ClientCertificate: certs.AdminCert, ClientKey: certs.AdminKey,
	}
	cfg.Contexts["cairn-testbed"] = &clientcmdapi.Context{Cluster: "cairn-testbed", AuthInfo: "cairn-admin"}
	cfg.CurrentContext = "cairn-testbed"
	return clientcmd.WriteToFile(*cfg, path)
}
