package testbed

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sync/errgroup"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/cairn-backup/cairn/tests/images"
	"github.com/cairn-backup/cairn/tests/kubesim"
	"github.com/cairn-backup/cairn/tests/proc"
	"github.com/cairn-backup/cairn/tests/realnode"
	"github.com/cairn-backup/cairn/worker/devserver"
	"github.com/cairn-backup/cairn/workflows"
)

// Options configures a test bed.
type Options struct {
	// Dir holds every component's state and logs; it is created when missing.
	Dir string
	// Nodes is the number of nodes; 2 when zero.
	Nodes int
	// RealNodes runs each node as a real kubelet on its own containerd, in
	// a network namespace of its own (package realnode), instead of
	// simulating it; it needs root and `make tools`.
	RealNodes bool
	// Bucket is the S3 bucket to create; "cairn" when empty.
	Bucket string
	// PersistTemporal keeps Temporal's state in <Dir>/temporal.db instead of memory.
	PersistTemporal bool
	// UI serves the Temporal Web UI.
	UI bool
	// TemporalTLS serves Temporal's frontend with TLS from a test CA and
	// requires client certificates (Bed.TemporalCerts has the files).
	TemporalTLS bool
	// TemporalAPIKey, when set, makes Temporal's frontend serve TLS (no
	// client certificate needed) and accept only this bearer token.
	TemporalAPIKey string
	// Logger receives the simulator's messages; a discarding logger when nil.
	Logger *slog.Logger
}

// Bed is a running test bed.
type Bed struct {
	Dir string
	// Temporal is the embedded Temporal server.
	Temporal *devserver.Server
	// TemporalCerts are the files of Temporal's TLS; nil when it is plaintext.
	TemporalCerts *TemporalCerts
	// S3 is the S3 server and bucket.
	S3 S3
	// Kubeconfig is the path of an admin kubeconfig; RESTConfig is the same as a client config.
	Kubeconfig string
	RESTConfig *rest.Config
	// Kube is an admin clientset.
	Kube kubernetes.Interface
	// Nodes are the names of the nodes; NodesDir holds their kubelet root
	// dirs, NodesDir/<node>, whose pods folders the node agents read.
	Nodes    []string
	NodesDir string
	// Real holds the real nodes when the bed runs them, else nil.
	Real *realnode.Cluster
	// ExtraEnv are more variables for Env and the env file.
	ExtraEnv []Var

	temporalAPIKey string
	procs          []*proc.Process
	extra          []*proc.Process // started by StartProcess, stopped first
	kube           *kubeControlPlane
	cancel         context.CancelFunc
}

// Start starts every component and returns once all are ready.
func Start(ctx context.Context, opts Options) (b *Bed, err error) {
	if opts.Nodes == 0 {
		opts.Nodes = 2
	}
	if opts.Bucket == "" {
		opts.Bucket = "cairn"
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	b = &Bed{Dir: dir, NodesDir: filepath.Join(dir, "nodes"), cancel: cancel}
	defer func() {
		if err != nil {
			b.Stop()
		}
	}()
	startCtx, stopWaiting := context.WithTimeout(ctx, 3*time.Minute)
	defer stopWaiting()

	var g errgroup.Group
	g.Go(func() error {
		p, s3, err := startS3(startCtx, dir, opts.Bucket)
		if err == nil {
			b.procs = append(b.procs, p)
			b.S3 = s3
		}
		return err
	})
	g.Go(func() error {
		dbFile := ""
		if opts.PersistTemporal {
			dbFile = filepath.Join(dir, "temporal.db")
		}
		tls, err := b.temporalTLS(opts)
		if err != nil {
			return err
		}
		srv, err := devserver.Start(startCtx, devserver.Options{
			DBFile: dbFile, UI: opts.UI, SearchAttributes: workflows.SearchAttributes,
			LogFile: filepath.Join(dir, "logs", "temporal.log"), TLS: tls, APIKey: opts.TemporalAPIKey,
		})
		b.Temporal, b.temporalAPIKey = srv, opts.TemporalAPIKey
		return err
	})
	var imgs []images.Image
	if opts.RealNodes {
		g.Go(func() (err error) {
			imgs, err = buildImages(startCtx)
			return err
		})
	}
	var etcd *proc.Process
	g.Go(func() error {
		p, etcdURL, err := startEtcd(startCtx, dir)
		if err != nil {
			return err
		}
		etcd = p
		var prepare func(*pki) ([]string, error)
		if opts.RealNodes {
			prepare = b.prepareRealNodes
		}
		b.kube, err = startKube(startCtx, dir, etcdURL, prepare)
		return err
	})
	err = g.Wait()
	if etcd != nil {
		b.procs = append(b.procs, etcd)
	}
	if err != nil {
		return b, err
	}
	b.Kubeconfig, b.RESTConfig = b.kube.kubeconfig, b.kube.config
	if b.Kube, err = kubernetes.NewForConfig(b.RESTConfig); err != nil {
		return b, err
	}
	for i := range opts.Nodes {
		b.Nodes = append(b.Nodes, fmt.Sprintf("cairn-node-%d", i+1))
	}
	simCfg := kubesim.Config{Nodes: b.Nodes, NodesDir: b.NodesDir, Logger: opts.Logger}
	if opts.RealNodes {
		simCfg.Nodes, simCfg.LocalNodes = nil, b.Nodes // the simulator only provisions volumes
	}
	if err := kubesim.New(b.Kube, simCfg).Start(runCtx); err != nil {
		return b, err
	}
	if opts.RealNodes {
		return b, b.startRealNodes(startCtx, imgs)
	}
	return b, nil
}

// Stop stops every component. The state folder stays.
func (b *Bed) Stop() {
	for i := len(b.extra) - 1; i >= 0; i-- {
		b.extra[i].Stop(10 * time.Second)
	}
	b.cancel()
	b.stopRealNodes()
	if b.kube != nil {
		b.kube.stop()
	}
	if b.Temporal != nil {
		_ = b.Temporal.Stop()
	}
	for i := len(b.procs) - 1; i >= 0; i-- {
		b.procs[i].Stop(10 * time.Second)
	}
}

// Alive reports an error if a component process has exited.
func (b *Bed) Alive() error {
	procs := append(append([]*proc.Process(nil), b.procs...), b.extra...)
	if b.kube != nil {
		procs = append(procs, b.kube.procs...)
	}
	for _, p := range procs {
		if err := p.Alive(); err != nil {
			return err
		}
	}
	if b.Real != nil {
		return b.Real.Alive()
	}
	return nil
}

// StartProcess runs bin as a component of the test bed: its output goes to
// <Dir>/logs/<name>.log, Alive reports its exit, and Stop stops it first.
func (b *Bed) StartProcess(name, bin string, args, env []string) error {
	p, err := proc.Start(name, bin, args, filepath.Join(b.Dir, "logs"), env)
	if err != nil {
		return err
	}
	b.extra = append(b.extra, p)
	return nil
}
