// Package devcmd is `cairn dev`: in one process, the embedded Temporal
// server (SQLite under a data folder) with its Web UI, the control-plane
// worker, a node agent and a default backup storage location in a local
// folder. With a kubeconfig, nothing else is needed.
//
// It links the Temporal server (through worker/devserver), so only package
// main imports it, and hands the command to cli.Run; the rest of the CLI,
// and every test that links it, stays free of the server.
package devcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/activities/resources/restore"
	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/worker/devserver"
	"github.com/cairn-backup/cairn/workflows"
)

// Defaults of `cairn dev`.
const (
	DefaultDataDir = ".cairn-dev"
	// DefaultTemporalPort and DefaultUIPort are the Temporal CLI's dev
	// server ports, so that tools that assume them work.
	DefaultTemporalPort = 7233
	DefaultUIPort       = 8233
	// LocationName is the location `cairn dev` creates when missing.
	LocationName = "default"
	// EnvFile, in the data folder, holds the environment of the other
	// cairn commands; it is written once everything is ready.
	EnvFile = "env"
)

type options struct {
	dataDir      string
	port, uiPort int
	ui           bool
	namespace    string
	metricsAddr  string
	helperImage  string
	gcFrequency  time.Duration
	agent        worker.NodeAgentConfig
	logLevel     string
}

// New returns the `cairn dev` command. It reads the root's --kubeconfig,
// --context and -n/--namespace flags.
func New() *cobra.Command {
	var o options
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run everything Cairn needs in one process: Temporal with its UI, the worker, a node agent and a local backup location",
		Long: `Run, in one process and until interrupted, the embedded Temporal server (its
state in a SQLite file under --data-dir) with its Web UI, Cairn's control-plane
worker (as ` + "`cairn server`" + `), the node agent of this node (as ` + "`cairn node-agent`" + `) and,
when missing, the backup storage location "default": the folder backups/
of the data folder (an existing location "default" is left as it is; the
new one is the default unless another location is). It creates Cairn's
namespace when missing. It needs only a kubeconfig. The other cairn commands
reach it with the environment it prints, also written to <data-dir>/env.
A restart on the same --data-dir keeps Temporal's state.

The node agent serves --node-name (default: $NODE_NAME, else the host name)
and reads pod volumes under --pods-dir; when the default pods folder does not
exist (no kubelet on this machine), it does not run and pod volume backups
fail with a clear error.`,
		Example: `  cairn dev --kubeconfig ~/.kube/config
  . .cairn-dev/env && cairn backup create nginx --include-namespaces nginx-example --wait`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return run(cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.dataDir, "data-dir", DefaultDataDir, "folder of Temporal's SQLite file, the logs and the default location's backups")
	f.IntVar(&o.port, "temporal-port", DefaultTemporalPort, "Temporal frontend port on 127.0.0.1 (0: a free one)")
	f.BoolVar(&o.ui, "ui", true, "serve the Temporal Web UI")
	f.IntVar(&o.uiPort, "ui-port", DefaultUIPort, "Temporal Web UI port on 127.0.0.1 (0: a free one)")
	f.StringVar(&o.namespace, "temporal-namespace", "default", "Temporal namespace of Cairn's workflows")
	f.StringVar(&o.metricsAddr, "metrics-address", "127.0.0.1:8085", "serve the worker's /metrics and /healthz on this address (empty: do not serve)")
	f.StringVar(&o.helperImage, "restore-helper-image", restore.DefaultHelperImage, "image of the restore-wait init container added to restored pods with pod volumes")
	f.DurationVar(&o.gcFrequency, "garbage-collection-frequency", worker.DefaultGCFrequency, "how often to delete expired backups")
	f.StringVar(&o.agent.Node, "node-name", "", "the node the node agent serves (default: $"+worker.NodeNameEnv+", else the host name)")
	f.StringVar(&o.agent.PodsDir, "pods-dir", podvolume.DefaultPodsDir, "the kubelet's pods folder the node agent reads")
	f.IntVar(&o.agent.Concurrency, "concurrency", worker.DefaultNodeConcurrency, "pod volumes the node agent backs up or restores at once")
	f.StringVar(&o.logLevel, "temporal-log-level", "warn", "level of the Temporal server's log in <data-dir>/temporal.log (debug, info, warn, error)")
	return cmd
}

func run(cmd *cobra.Command, o options) error {
	ctx := cmd.Context()
	stdout := cmd.OutOrStdout()
	logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
	if o.gcFrequency < time.Second {
		return fmt.Errorf("--garbage-collection-frequency %v: use at least 1s", o.gcFrequency)
	}

	kubeconfig, kubeContext, cairnNS := rootFlag(cmd, "kubeconfig"), rootFlag(cmd, "context"), rootFlag(cmd, "namespace")
	if cairnNS == "" {
		cairnNS = os.Getenv(locations.NamespaceEnv)
	}
	if cairnNS == "" {
		cairnNS = locations.DefaultNamespace
	}
	rc, kubeconfigPath, err := loadKubeconfig(kubeconfig, kubeContext)
	if err != nil {
		return err
	}
	kube, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return fmt.Errorf("connecting to the cluster at %s: %w", rc.Host, err)
	}

	dataDir, err := filepath.Abs(o.dataDir)
	if err != nil {
		return err
	}
	backupsDir := filepath.Join(dataDir, "backups")
	if err := os.MkdirAll(backupsDir, 0o755); err != nil {
		return fmt.Errorf("creating the data folder: %w", err)
	}
	lock, err := lockDataDir(dataDir)
	if err != nil {
		return err
	}
	defer lock.Close()
	_ = os.Remove(filepath.Join(dataDir, EnvFile)) // written again once ready

	// The agent's settings are checked before anything starts.
	agent := o.agent
	runAgent := true
	if agent.Node == "" {
		agent.Node = os.Getenv(worker.NodeNameEnv)
	}
	if agent.Node == "" {
		if agent.Node, err = os.Hostname(); err != nil {
			return fmt.Errorf("no node name: pass --node-name (%v)", err)
		}
	}
	if fi, err := os.Stat(agent.PodsDir); err != nil || !fi.IsDir() {
		if cmd.Flags().Changed("pods-dir") {
			return fmt.Errorf("--pods-dir %s is not a readable folder: %v", agent.PodsDir, err)
		}
		logger.Warn("no node agent: the kubelet's pods folder is missing; pass --pods-dir to back up pod volumes", "podsDir", agent.PodsDir)
		runAgent = false
	}

	// The cluster side first: it fails fast on a bad kubeconfig.
	if err := ensureNamespace(ctx, kube, cairnNS); err != nil {
		return err
	}
	store := locations.NewStore(kube, cairnNS)
	loc, created, err := ensureLocation(ctx, store, backupsDir)
	if err != nil {
		return err
	}
	if runAgent {
		if _, err := kube.CoreV1().Nodes().Get(ctx, agent.Node, metav1.GetOptions{}); apierrors.IsNotFound(err) {
			logger.Warn("the cluster has no node of the node agent's name: pass --node-name", "node", agent.Node)
		}
	}

	dbFile := filepath.Join(dataDir, "temporal.db")
	if err := forgetMembers(ctx, dbFile); err != nil {
		return err
	}
	srv, err := devserver.Start(ctx, devserver.Options{
		DBFile: dbFile, Port: o.port, UI: o.ui, UIPort: o.uiPort,
		Namespace: o.namespace, SearchAttributes: workflows.SearchAttributes,
		LogFile: filepath.Join(dataDir, "temporal.log"), LogLevel: o.logLevel,
	})
	if err != nil {
		return fmt.Errorf("starting Temporal: %w", err)
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			logger.Error("stopping Temporal", "err", err)
		}
	}()

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	locs := activities.KubeLocations{Store: store}
	tc := worker.Config{TemporalAddress: srv.HostPort(), TemporalNamespace: srv.Namespace(), Locations: locs, Logger: logger}
	type result struct {
		what string
		err  error
	}
	done := make(chan result, 2)
	ready := make(chan string, 2)
	running := 0
	wc := tc
	wc.Kube, wc.MetricsAddress, wc.GCFrequency, wc.HelperImage = rc, o.metricsAddr, o.gcFrequency, o.helperImage
	wc.Ready = func(addr string) { ready <- addr }
	running++
	go func() { done <- result{"the worker", worker.Run(runCtx, wc)} }()
	if runAgent {
		agent.Temporal = tc
		agent.Temporal.Ready = func(string) { ready <- "" }
		running++
		go func() { done <- result{"the node agent", worker.RunNodeAgent(runCtx, agent)} }()
	}
	// wait stops what runs and returns the first failure.
	wait := func(first error) error {
		stop()
		for ; running > 0; running-- {
			if r := <-done; r.err != nil && first == nil {
				first = fmt.Errorf("%s: %w", r.what, r.err)
			}
		}
		return first
	}
	metrics := ""
	for n := 0; n < running; n++ {
		select {
		case addr := <-ready:
			if addr != "" {
				metrics = addr
			}
		case r := <-done:
			running--
			err := r.err
			if err == nil {
				err = errors.New("stopped before it was ready")
			}
			return wait(fmt.Errorf("%s: %w", r.what, err))
		}
	}

	env := [][2]string{
		{worker.AddressEnv, srv.HostPort()},
		{worker.NamespaceEnv, srv.Namespace()},
		{locations.NamespaceEnv, cairnNS},
	}
	if kubeconfigPath != "" {
		env = append(env, [2]string{"KUBECONFIG", kubeconfigPath})
	}
	if srv.UIURL() != "" {
		env = append(env, [2]string{"CAIRN_TEMPORAL_UI", srv.UIURL()})
	}
	printBanner(stdout, dataDir, srv, loc, created, runAgent, agent, metrics, env)
	if err := writeEnv(filepath.Join(dataDir, EnvFile), env); err != nil {
		return wait(err)
	}

	select {
	case <-ctx.Done():
		fmt.Fprintln(stdout, "Stopping…")
		err = wait(nil)
	case r := <-done:
		running--
		err = r.err
		if err == nil {
			err = errors.New("stopped unexpectedly")
		}
		err = wait(fmt.Errorf("%s: %w", r.what, err))
	}
	_ = os.Remove(filepath.Join(dataDir, EnvFile))
	if err == nil {
		fmt.Fprintln(stdout, "Cairn dev stopped.")
	}
	return err
}

// rootFlag is the value of a persistent flag of the root command, "" when
// it has none.
func rootFlag(cmd *cobra.Command, name string) string {
	if f := cmd.Flags().Lookup(name); f != nil {
		return f.Value.String()
	}
	if f := cmd.InheritedFlags().Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

// loadKubeconfig loads the cluster's config as the other commands do and
// returns the absolute path of the kubeconfig that was named, if any.
func loadKubeconfig(explicit, kubeContext string) (*rest.Config, string, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = explicit
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: kubeContext}).ClientConfig()
	if err != nil {
		return nil, "", fmt.Errorf("loading the kubeconfig (pass --kubeconfig or set $KUBECONFIG): %w", err)
	}
	path := explicit
	if path == "" {
		path = os.Getenv("KUBECONFIG")
	}
	if path != "" && !strings.Contains(path, string(os.PathListSeparator)) {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
	}
	return cfg, path, nil
}

// ensureNamespace creates Cairn's namespace when it is missing.
func ensureNamespace(ctx context.Context, kube kubernetes.Interface, ns string) error {
	_, err := kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		_, err = kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
		if apierrors.IsAlreadyExists(err) {
			err = nil
		}
	}
	if err != nil && !apierrors.IsForbidden(err) {
		return fmt.Errorf("Cairn's namespace %s: %w", ns, err)
	}
	return nil
}

// ensureLocation returns the location LocationName, creating it as the
// local folder dir when missing; it is the default unless another location
// already is.
func ensureLocation(ctx context.Context, store *locations.Store, dir string) (locations.Location, bool, error) {
	loc, err := store.Get(ctx, LocationName)
	if err == nil {
		return loc, false, nil
	}
	if !errors.Is(err, locations.ErrNotFound) {
		return loc, false, err
	}
	_, err = store.Default(ctx)
	isDefault := errors.Is(err, locations.ErrNoDefault)
	if err != nil && !isDefault {
		return loc, false, err
	}
	loc = locations.Location{Name: LocationName, Spec: locations.Spec{Provider: locations.ProviderLocal, Path: dir, Default: isDefault}}
	loc.Status = store.Check(ctx, loc)
	loc.Status.LastValidationTime = time.Now().UTC().Truncate(time.Second)
	loc, err = store.Create(ctx, loc)
	return loc, err == nil, err
}

func printBanner(w io.Writer, dataDir string, srv *devserver.Server, loc locations.Location, created, runAgent bool,
	agent worker.NodeAgentConfig, metrics string, env [][2]string) {
	fmt.Fprintf(w, "Cairn dev is running (state in %s):\n", dataDir)
	fmt.Fprintf(w, "  Temporal:      %s (namespace %s)\n", srv.HostPort(), srv.Namespace())
	if srv.UIURL() != "" {
		fmt.Fprintf(w, "  Web UI:        %s\n", srv.UIURL())
	}
	where := loc.Spec.Path
	if loc.Spec.Provider != locations.ProviderLocal {
		where = string(loc.Spec.Provider) + " bucket " + loc.Spec.Bucket
	}
	state := "existing"
	if created {
		state = "created"
	}
	def := ""
	if loc.Spec.Default {
		def = ", the default"
	}
	fmt.Fprintf(w, "  Location:      %s: %s (%s%s)\n", loc.Name, where, state, def)
	if runAgent {
		fmt.Fprintf(w, "  Node agent:    node %s, pods in %s\n", agent.Node, agent.PodsDir)
	} else {
		fmt.Fprintf(w, "  Node agent:    not running (no pods folder)\n")
	}
	if metrics != "" {
		fmt.Fprintf(w, "  Metrics:       http://%s/metrics\n", metrics)
	}
	fmt.Fprintf(w, "For the other cairn commands (or `. %s`):\n", filepath.Join(dataDir, EnvFile))
	for _, kv := range env {
		fmt.Fprintf(w, "  export %s=%s\n", kv[0], shellQuote(kv[1]))
	}
	fmt.Fprintln(w, "Press Ctrl-C to stop.")
}

// writeEnv writes the environment as shell exports, atomically.
func writeEnv(path string, env [][2]string) error {
	var b strings.Builder
	for _, kv := range env {
		b.WriteString("export " + kv[0] + "=" + shellQuote(kv[1]) + "\n")
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
