package kubesim

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
)

// ProvisionerName is the provisioner of the StorageClass kubesim creates, and
// the driver of the CSI volumes it provisions.
const ProvisionerName = "sim.cairn.dev"

// Config configures a simulator.
type Config struct {
	// Nodes are the names of the simulated nodes.
	Nodes []string
	// NodesDir holds one folder per node, like /var/lib/kubelet on each node.
	NodesDir string
	// LocalNodes are real nodes (a kubelet each): the provisioner gives a
	// claim a `local` PV on one of them, which that kubelet mounts, rather
	// than a PV only simulated nodes can mount.
	LocalNodes []string
	// StorageClass is the name of the default StorageClass created for the
	// provisioner; "standard" when empty.
	StorageClass string
	// Logger receives what the simulator does; slog.Default when nil.
	Logger *slog.Logger
}

// Sim runs the simulated nodes and provisioner until its context ends.
type Sim struct {
	cfg    Config
	client kubernetes.Interface
	log    *slog.Logger
	nodes  map[string]bool

	podStore cache.Store
	pvcStore cache.Store

	mu     sync.Mutex
	podIPs map[string]string // pod uid -> ip
	nextIP int
}

// New returns a simulator for client's cluster.
func New(client kubernetes.Interface, cfg Config) *Sim {
	if cfg.StorageClass == "" {
		cfg.StorageClass = "standard"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	nodes := make(map[string]bool, len(cfg.Nodes))
	for _, n := range cfg.Nodes {
		nodes[n] = true
	}
	return &Sim{cfg: cfg, client: client, log: cfg.Logger, nodes: nodes, podIPs: map[string]string{}}
}

// Start registers the nodes and the StorageClass, starts the control loops
// and returns once the nodes are Ready. The loops run until ctx ends.
func (s *Sim) Start(ctx context.Context) error {
	if err := s.ensureStorageClass(ctx); err != nil {
		return err
	}
	for _, n := range s.cfg.Nodes {
		if err := s.registerNode(ctx, n); err != nil {
			return err
		}
	}
	go s.heartbeats(ctx)

	factory := informers.NewSharedInformerFactory(s.client, 0)
	pods := factory.Core().V1().Pods().Informer()
	pvcs := factory.Core().V1().PersistentVolumeClaims().Informer()
	pvs := factory.Core().V1().PersistentVolumes().Informer()
	podQueue := newQueue(ctx, s.log, "pod", s.syncPod)
	pvcQueue := newQueue(ctx, s.log, "pvc", s.syncPVC)
	pvQueue := newQueue(ctx, s.log, "pv", s.syncPV)
	add := func(q *queue) cache.ResourceEventHandlerFuncs {
		return cache.ResourceEventHandlerFuncs{
			AddFunc:    func(obj any) { q.addObject(obj) },
			UpdateFunc: func(_, obj any) { q.addObject(obj) },
			DeleteFunc: func(obj any) { q.addObject(obj) },
		}
	}
	if _, err := pods.AddEventHandler(add(podQueue)); err != nil {
		return err
	}
	if _, err := pvcs.AddEventHandler(add(pvcQueue)); err != nil {
		return err
	}
	// A PVC that becomes bound may unblock pods waiting for it.
	if _, err := pvcs.AddEventHandler(cache.ResourceEventHandlerFuncs{
		UpdateFunc: func(_, _ any) { podQueue.addAll(pods.GetStore()) },
	}); err != nil {
		return err
	}
	if _, err := pvs.AddEventHandler(add(pvQueue)); err != nil {
		return err
	}
	s.podStore, s.pvcStore = pods.GetStore(), pvcs.GetStore()
	factory.Start(ctx.Done())
	for typ, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			return fmt.Errorf("kubesim: the %v informer did not sync", typ)
		}
	}
	go podQueue.run()
	go pvcQueue.run()
	go pvQueue.run()
	return s.waitNodesReady(ctx)
}

func (s *Sim) waitNodesReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		ready := 0
		for _, n := range s.cfg.Nodes {
			if ok, _ := s.nodeReady(ctx, n); ok {
				ready++
			}
		}
		if ready == len(s.cfg.Nodes) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("kubesim: %d of %d nodes Ready: %w", ready, len(s.cfg.Nodes), ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}
