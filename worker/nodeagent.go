package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"go.temporal.io/sdk/interceptor"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/worker/buildinfo"
	"github.com/cairn-backup/cairn/worker/metrics"
)

// NodeNameEnv names the node a node agent serves.
const NodeNameEnv = "NODE_NAME"

// DefaultNodeConcurrency is how many pod volumes one node agent backs up
// or restores at once.
const DefaultNodeConcurrency = 2

// NodeAgentConfig configures a node agent.
type NodeAgentConfig struct {
	// Temporal holds the connection settings (TemporalAddress,
	// TemporalNamespace), MetricsAddress, Locations, Logger and Ready; its
	// Kube is not used.
	Temporal Config
	// Node is the node's name ($NODE_NAME when empty).
	Node string
	// PodsDir is the kubelet's pods folder (podvolume.DefaultPodsDir when
	// empty).
	PodsDir string
	// Concurrency bounds the volumes worked on at once
	// (DefaultNodeConcurrency when zero).
	Concurrency int
}

// RunNodeAgent runs the pod volume activities of one node on its task
// queue, activities.NodeAgentQueue(node) scoped by the cluster's name,
// until ctx ends.
func RunNodeAgent(ctx context.Context, cfg NodeAgentConfig) error {
	tc := cfg.Temporal
	logger := tc.Logger
	if logger == nil {
		logger = slog.Default()
	}
	node := cfg.Node
	if node == "" {
		node = os.Getenv(NodeNameEnv)
	}
	if node == "" {
		return fmt.Errorf("node agent: no node name: set $%s (from the pod's spec.nodeName) or --node-name", NodeNameEnv)
	}
	if tc.Locations == nil {
		return errors.New("node agent: a location resolver is required")
	}
	podsDir := cfg.PodsDir
	if podsDir == "" {
		podsDir = podvolume.DefaultPodsDir
	}
	if fi, err := os.Stat(podsDir); err != nil || !fi.IsDir() {
		return fmt.Errorf("node agent: the kubelet's pods folder %s is not readable (mount it and pass --pods-dir): %v", podsDir, err)
	}
	conc := cfg.Concurrency
	if conc <= 0 {
		conc = DefaultNodeConcurrency
	}
	reg := newRegistry()
	var closeSDKMetrics io.Closer
	tc.sdkMetrics, closeSDKMetrics = metrics.NewTemporalHandler(reg, metricsError(logger))
	defer closeSDKMetrics.Close()
	c, err := tc.Dial(logger)
	if err != nil {
		return err
	}
	defer c.Close()

	name, err := tc.Cluster()
	if err != nil {
		return err
	}
	queue := name.Scope(activities.NodeAgentQueue(node))
	metrics.NewBacklog(reg, c, tc.namespace(), queue, node)
	w := sdkworker.New(c, queue, sdkworker.Options{
		MaxConcurrentActivityExecutionSize: conc,
		WorkerStopTimeout:                  30 * time.Second,
		MaxHeartbeatThrottleInterval:       activities.ProgressInterval,
		Identity:                           identity(buildinfo.NodeAgentKind, ""),
		Interceptors:                       []interceptor.WorkerInterceptor{metrics.NewNodeAgent(reg, node).Interceptor()},
	})
	w.RegisterActivity(&activities.NodeAgent{Node: node, PodsDir: podsDir, Locations: tc.Locations})
	stopMetrics, addr, err := serveMetrics(tc.MetricsAddress, reg, &temporalHealth{c: c}, logger)
	if err != nil {
		return err
	}
	defer stopMetrics()
	if err := w.Start(); err != nil {
		return fmt.Errorf("starting the node agent: %w", err)
	}
	logger.Info("cairn node agent started", "node", node, "taskQueue", queue, "podsDir", podsDir, "concurrency", conc, "metrics", addr)
	if tc.Ready != nil {
		tc.Ready(addr)
	}
	<-ctx.Done()
	w.Stop()
	logger.Info("cairn node agent stopped", "node", node)
	return nil
}
