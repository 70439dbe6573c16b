package worker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/podexec"
	"github.com/cairn-backup/cairn/worker/buildinfo"
	"github.com/cairn-backup/cairn/worker/searchattrs"
	"github.com/cairn-backup/cairn/workflows"
)

// Environment variables that configure the Temporal connection.
const (
	AddressEnv   = "CAIRN_TEMPORAL_ADDRESS"
	NamespaceEnv = "CAIRN_TEMPORAL_NAMESPACE"
)

// Client rate limits of the worker's Kubernetes clients when Config.Kube
// sets none.
const (
	DefaultClientQPS   = 100
	DefaultClientBurst = 200
)

// Config configures the control-plane worker.
type Config struct {
	// TemporalAddress is host:port; $CAIRN_TEMPORAL_ADDRESS, else
	// localhost:7233, when empty.
	TemporalAddress string
	// TemporalNamespace is $CAIRN_TEMPORAL_NAMESPACE, else "default", when empty.
	TemporalNamespace string
	// MetricsAddress serves /metrics and /healthz; empty serves nothing.
	MetricsAddress string
	// Kube is the cluster the backups and restores work on.
	Kube *rest.Config
	// Locations resolves backup storage locations.
	Locations activities.LocationResolver
	// HelperImage runs the restore-wait init container of restored pods
	// with pod volumes (restore.DefaultHelperImage when empty).
	HelperImage string
	// Logger is slog.Default() when nil.
	Logger *slog.Logger
	// GCFrequency is how often the garbage collection deletes expired
	// backups; DefaultGCFrequency when zero, never when negative.
	GCFrequency time.Duration
	// LocationValidationFrequency is how often every backup storage
	// location is validated; DefaultLocationValidationFrequency when zero,
	// never when negative.
	LocationValidationFrequency time.Duration
	// RepoMaintenanceFrequency is how often the repositories of each
	// location are maintained (one Temporal Schedule per location);
	// DefaultRepoMaintenanceFrequency when zero, never when negative
	// (deletions and `cairn repo maintain` still start maintenances).
	RepoMaintenanceFrequency time.Duration
	// Ready, when set, is called with the metrics listener's address once
	// the worker polls.
	Ready func(metricsAddr string)
}

// Dial connects to Temporal with the address and namespace of cfg.
func (cfg Config) Dial(logger *slog.Logger) (client.Client, error) {
	addr, ns := cmp.Or(cfg.TemporalAddress, os.Getenv(AddressEnv), client.DefaultHostPort), cfg.namespace()
	c, err := client.Dial(client.Options{HostPort: addr, Namespace: ns, Logger: tlog.NewStructuredLogger(logger)})
	if err != nil {
		return nil, fmt.Errorf("connecting to Temporal at %s: %w", addr, err)
	}
	return c, nil
}

// namespace is the Temporal namespace cfg names.
func (cfg Config) namespace() string {
	return cmp.Or(cfg.TemporalNamespace, os.Getenv(NamespaceEnv), client.DefaultNamespace)
}

// ensureSearchAttributes registers the search attributes Cairn's workflows
// set when namespace lacks them, so that a namespace made by Temporal's
// Helm chart or the temporal CLI works at once; where Temporal refuses,
// the error names the commands that add them.
func ensureSearchAttributes(ctx context.Context, c client.Client, namespace string, logger *slog.Logger) error {
	var added []string
	err := retryTransient(ctx, scheduleSetupTimeout, time.Second, func() error {
		var err error
		added, err = searchattrs.Ensure(ctx, c.OperatorService(), namespace, searchattrs.Types(workflows.SearchAttributes))
		return err
	})
	if err != nil {
		return err
	}
	if len(added) > 0 {
		logger.Info("registered Cairn's search attributes", "namespace", namespace, "added", added)
	}
	return nil
}

// Run runs the worker of task queue workflows.TaskQueue until ctx ends,
// then stops it gracefully.
func Run(ctx context.Context, cfg Config) error {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	if cfg.Kube == nil || cfg.Locations == nil {
		return errors.New("worker: a cluster and a location resolver are required")
	}
	kube := cfg.Kube
	if kube.QPS == 0 { // client-go's default, 5 per second, would throttle every backup
		kube = rest.CopyConfig(kube)
		kube.QPS, kube.Burst = DefaultClientQPS, DefaultClientBurst
	}
	dyn, err := dynamic.NewForConfig(kube)
	if err != nil {
		return err
	}
	disc, err := discovery.NewDiscoveryClientForConfig(kube)
	if err != nil {
		return err
	}
	exec, err := podexec.New(kube)
	if err != nil {
		return err
	}
	c, err := cfg.Dial(logger)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := ensureSearchAttributes(ctx, c, cfg.namespace(), logger); err != nil {
		return err
	}

	reg := newRegistry()
	metrics := NewMetrics(reg)
	maintain := cmp.Or(cfg.RepoMaintenanceFrequency, DefaultRepoMaintenanceFrequency)
	w := sdkworker.New(c, workflows.TaskQueue, sdkworker.Options{
		WorkerStopTimeout: 30 * time.Second, Identity: identity(buildinfo.ServerKind),
	})
	w.RegisterWorkflow(workflows.Backup)
	w.RegisterWorkflow(workflows.Restore)
	w.RegisterWorkflow(workflows.Delete)
	w.RegisterWorkflow(workflows.Expire)
	w.RegisterWorkflow(workflows.ScheduledBackup)
	w.RegisterWorkflow(workflows.RepoMaintenance)
	w.RegisterWorkflow(workflows.MaintainLocation)
	w.RegisterActivity(&activities.Deletion{Temporal: c, Locations: cfg.Locations})
	w.RegisterActivity(&activities.Resources{
		Dynamic: dyn, Discovery: disc, Locations: cfg.Locations, Now: time.Now, Metrics: metrics,
		HelperImage: cfg.HelperImage,
	})
	w.RegisterActivity(&activities.Hooks{Exec: exec, Locations: cfg.Locations, Now: time.Now})
	w.RegisterActivity(&activities.Maintenance{
		Locations: cfg.Locations, Control: maintenanceControl{c: c, frequency: maintain},
		NoSchedules: maintain < 0, Metrics: metrics, Now: time.Now,
	})
	validating := registerLocationValidation(w, cfg.Locations)

	stopMetrics, addr, err := serveMetrics(cfg.MetricsAddress, reg, &temporalHealth{c: c}, logger)
	if err != nil {
		return err
	}
	defer stopMetrics()
	if err := w.Start(); err != nil {
		return fmt.Errorf("starting the worker: %w", err)
	}
	if gc := cmp.Or(cfg.GCFrequency, DefaultGCFrequency); gc > 0 {
		if err := EnsureGCSchedule(ctx, c, gc); err != nil {
			w.Stop()
			return err
		}
	}
	if f := cmp.Or(cfg.LocationValidationFrequency, DefaultLocationValidationFrequency); f > 0 && validating {
		if err := EnsureLocationValidator(ctx, c, f); err != nil {
			w.Stop()
			return err
		}
	}
	if err := EnsureRepoMaintenanceSchedules(ctx, c, cfg.Locations, maintain); err != nil {
		// The location validation tries again every minute.
		logger.Warn("setting up the repository maintenance schedules", "err", err)
	}
	logger.Info("cairn worker started", "taskQueue", workflows.TaskQueue, "metrics", addr)
	if cfg.Ready != nil {
		cfg.Ready(addr)
	}
	<-ctx.Done()
	w.Stop()
	logger.Info("cairn worker stopped")
	return nil
}

// newRegistry is a Prometheus registry with the Go and process collectors
// and cairn_build_info.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	build := buildinfo.Get()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "cairn_build_info", Help: "Always 1; its labels are the version and commit of the running build.",
			ConstLabels: prometheus.Labels{"version": build.Version, "commit": build.Commit},
		}, func() float64 { return 1 }))
	return reg
}

// identity is this process's Temporal identity (see buildinfo.Identity).
func identity(kind string) string {
	host, _ := os.Hostname()
	return buildinfo.Get().Identity(os.Getpid(), host, kind)
}

// serveMetrics serves /metrics and /healthz on addr, when set, and returns
// the function that shuts the server down gracefully and its address.
func serveMetrics(addr string, reg *prometheus.Registry, health http.Handler, logger *slog.Logger) (stop func(), bound string, err error) {
	if addr == "" {
		return func() {}, "", nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("metrics listener: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.Handle("/healthz", health)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics server", "err", err)
		}
	}()
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	return stop, ln.Addr().String(), nil
}
