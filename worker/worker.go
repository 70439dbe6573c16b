package worker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	tlog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/cluster"
	"github.com/cairn-backup/cairn/activities/podexec"
	"github.com/cairn-backup/cairn/worker/buildinfo"
	"github.com/cairn-backup/cairn/worker/metrics"
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
	// TemporalTLSCert and TemporalTLSKey are PEM files of a client
	// certificate and its key (mutual TLS); $CAIRN_TEMPORAL_TLS_CERT and
	// $CAIRN_TEMPORAL_TLS_KEY when empty.
	TemporalTLSCert, TemporalTLSKey string
	// TemporalTLSCA is the PEM file of the CA that verifies the server;
	// $CAIRN_TEMPORAL_TLS_CA when empty, else the system's roots.
	TemporalTLSCA string
	// TemporalTLSServerName overrides the name checked in the server's
	// certificate; $CAIRN_TEMPORAL_TLS_SERVER_NAME when empty.
	TemporalTLSServerName string
	// TemporalAPIKey is sent as a bearer token; $CAIRN_TEMPORAL_API_KEY
	// when empty. With a key and no TLS setting, TLS with the system's
	// roots is used (the SDK's default, which Temporal Cloud needs).
	TemporalAPIKey string
	// ClusterName, when several clusters share the Temporal namespace,
	// scopes task queues, workflow IDs and search attributes to this
	// cluster (package cluster); $CAIRN_CLUSTER_NAME when empty, else the
	// cluster has no name and the names stay unscoped.
	ClusterName cluster.Name
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

	// sdkMetrics receives the Temporal SDK's metrics; none when nil.
	sdkMetrics client.MetricsHandler
}

// Dial connects to Temporal with the address and namespace of cfg.
func (cfg Config) Dial(logger *slog.Logger) (client.Client, error) {
	addr, ns := cmp.Or(cfg.TemporalAddress, os.Getenv(AddressEnv), client.DefaultHostPort), cfg.namespace()
	opts := client.Options{HostPort: addr, Namespace: ns, Logger: tlog.NewStructuredLogger(logger), MetricsHandler: cfg.sdkMetrics}
	if err := cfg.security(&opts); err != nil {
		return nil, err
	}
	c, err := client.Dial(opts)
	if err == nil && (opts.Credentials != nil || opts.ConnectionOptions.TLS != nil) {
		err = checkAuthorized(c, ns)
	}
	if err != nil {
		return nil, dialError(addr, err, opts.ConnectionOptions.TLS != nil)
	}
	return c, nil
}

// Cluster is the cluster name cfg gives, checked.
func (cfg Config) Cluster() (cluster.Name, error) {
	n := cmp.Or(cfg.ClusterName, cluster.Name(os.Getenv(cluster.EnvVar)))
	return n, n.Check()
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

// Run runs the worker of the cluster's task queue (workflows.TaskQueue,
// scoped by the cluster's name) until ctx ends,
// then stops it gracefully.
func Run(ctx context.Context, cfg Config) error {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	if cfg.Kube == nil || cfg.Locations == nil {
		return errors.New("worker: a cluster and a location resolver are required")
	}
	name, err := cfg.Cluster()
	if err != nil {
		return err
	}
	queue := name.Scope(workflows.TaskQueue)
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
	kubeClient, err := kubernetes.NewForConfig(kube)
	if err != nil {
		return err
	}
	reg := newRegistry()
	var closeSDKMetrics io.Closer
	cfg.sdkMetrics, closeSDKMetrics = metrics.NewTemporalHandler(reg, metricsError(logger))
	defer closeSDKMetrics.Close()
	c, err := cfg.Dial(logger)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := ensureSearchAttributes(ctx, c, cfg.namespace(), logger); err != nil {
		return err
	}

	uid, err := clusterUID(ctx, kubeClient)
	if err != nil {
		return err
	}
	if err := refuseSharedQueue(ctx, c, cfg.namespace(), queue, uid); err != nil {
		return err
	}
	server := metrics.NewServer(reg)
	go func() {
		if err := server.RecoverLastSuccess(ctx, c, name); err != nil && ctx.Err() == nil {
			logger.Warn("velero_backup_last_successful_timestamp starts empty", "err", err)
		}
	}()
	metrics.NewTotals(reg, c, name)
	metrics.NewSchedules(reg, c, name)
	metrics.NewAgents(reg, c, kubeClient, cfg.namespace(), name)
	maintain := cmp.Or(cfg.RepoMaintenanceFrequency, DefaultRepoMaintenanceFrequency)
	w := sdkworker.New(c, queue, sdkworker.Options{
		WorkerStopTimeout: 30 * time.Second, Identity: identity(buildinfo.ServerKind, uid),
		MaxHeartbeatThrottleInterval: activities.ProgressInterval,
		Interceptors:                 []interceptor.WorkerInterceptor{server.Interceptor()},
	})
	w.RegisterWorkflow(workflows.Backup)
	w.RegisterWorkflow(workflows.Restore)
	w.RegisterWorkflow(workflows.Delete)
	w.RegisterWorkflow(workflows.DeleteRestore)
	w.RegisterWorkflow(workflows.Expire)
	w.RegisterWorkflow(workflows.ScheduledBackup)
	w.RegisterWorkflow(workflows.RepoMaintenance)
	w.RegisterWorkflow(workflows.MaintainLocation)
	w.RegisterActivity(&activities.Deletion{Temporal: c, Locations: cfg.Locations, Cluster: name})
	w.RegisterActivity(&activities.Resources{
		Dynamic: dyn, Discovery: disc, Locations: cfg.Locations, Now: time.Now,
		HelperImage: cfg.HelperImage,
	})
	w.RegisterActivity(&activities.Hooks{Exec: exec, Locations: cfg.Locations, Now: time.Now})
	w.RegisterActivity(&activities.Maintenance{
		Locations: cfg.Locations, Control: maintenanceControl{c: c, cluster: name, frequency: maintain},
		NoSchedules: maintain < 0, Metrics: server, Now: time.Now,
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
		if err := EnsureGCSchedule(ctx, c, name, gc); err != nil {
			w.Stop()
			return err
		}
	}
	if f := cmp.Or(cfg.LocationValidationFrequency, DefaultLocationValidationFrequency); f > 0 && validating {
		if err := EnsureLocationValidator(ctx, c, name, f); err != nil {
			w.Stop()
			return err
		}
	}
	if err := EnsureRepoMaintenanceSchedules(ctx, c, name, cfg.Locations, maintain); err != nil {
		// The location validation tries again every minute.
		logger.Warn("setting up the repository maintenance schedules", "err", err)
	}
	logger.Info("cairn worker started", "taskQueue", queue, "cluster", string(name), "metrics", addr)
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

// metricsError logs a metric the Temporal SDK's handler could not register.
func metricsError(logger *slog.Logger) func(error) {
	return func(err error) { logger.Warn("registering a Temporal SDK metric", "err", err) }
}

// identity is this process's Temporal identity (see buildinfo.Identity);
// cluster is its cluster's UID, if known.
func identity(kind, cluster string) string {
	host, _ := os.Hostname()
	return buildinfo.Get().Identity(os.Getpid(), host, kind, cluster)
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
