// Package devserver runs a complete Temporal server (frontend, history,
// matching and worker services) inside the current process, with SQLite
// persistence and, optionally, the Temporal Web UI. It is the only package of
// Cairn that imports go.temporal.io/server: that module takes minutes to
// build, so nothing else may depend on it.
package devserver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdktemporal "go.temporal.io/sdk/temporal"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
	"go.uber.org/zap"

	"github.com/cairn-backup/cairn/worker/freeport"
	"github.com/cairn-backup/cairn/worker/searchattrs"
)

// Options configures a Server. The zero value runs an in-memory server on
// free ports of 127.0.0.1 with no UI.
type Options struct {
	// DBFile persists the server's state in this SQLite file; it is created,
	// with its schema, when missing. Empty keeps everything in memory.
	DBFile string
	// Port is the frontend's gRPC port; 0 picks a free one.
	Port int
	// UIPort serves the Temporal Web UI on this port; 0 picks a free one.
	// The UI runs only when UI is true.
	UI     bool
	UIPort int
	// Namespace is created when missing; "default" when empty.
	Namespace string
	// SearchAttributes are registered on the namespace.
	SearchAttributes []sdktemporal.SearchAttributeKey
	// LogFile receives the server's log; with no file the server logs nothing.
	LogFile string
	// LogLevel is the server's log level (debug, info, warn, error); "warn" when empty.
	LogLevel string
	// TLS serves the frontend with TLS; nil serves plaintext.
	TLS *TLS
	// APIKey, when set, makes the frontend refuse every call that does not
	// carry the header "Authorization: Bearer <APIKey>".
	APIKey string
}

// Server is a running embedded Temporal server.
type Server struct {
	server    temporal.Server
	ui        interface{ Stop() }
	hostPort  string
	uiURL     string
	namespace string
}

// Start starts a server and returns once its frontend answers and the
// namespace and search attributes are in place.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Namespace == "" {
		opts.Namespace = "default"
	}
	if opts.LogLevel == "" {
		opts.LogLevel = "warn"
	}
	ports, err := freeport.Take(11)
	if err != nil {
		return nil, err
	}
	if opts.Port == 0 {
		opts.Port = ports[0]
	}
	conf := serverConfig(opts, ports[1:])
	opts.secure(conf, ports[9:])
	sqlConf := conf.Persistence.DataStores[sqliteplugin.PluginName].SQL
	if opts.DBFile != "" {
		if _, err := os.Stat(opts.DBFile); errors.Is(err, os.ErrNotExist) {
			if err := os.MkdirAll(filepath.Dir(opts.DBFile), 0o755); err != nil {
				return nil, fmt.Errorf("creating the folder of %s: %w", opts.DBFile, err)
			}
			if err := sqliteschema.SetupSchema(sqlConf); err != nil {
				return nil, fmt.Errorf("creating the Temporal schema in %s: %w", opts.DBFile, err)
			}
		}
	}
	attrs := searchattrs.Types(opts.SearchAttributes)
	ns, err := sqliteschema.NewNamespaceConfig(conf.ClusterMetadata.CurrentClusterName, opts.Namespace, false, attrs)
	if err != nil {
		return nil, fmt.Errorf("preparing namespace %s: %w", opts.Namespace, err)
	}
	if err := sqliteschema.CreateNamespaces(sqlConf, ns); err != nil {
		return nil, fmt.Errorf("creating namespace %s: %w", opts.Namespace, err)
	}

	var logger log.Logger = log.NewNoopLogger()
	if opts.LogFile != "" {
		zl := log.BuildZapLogger(log.Config{Level: opts.LogLevel, OutputFile: opts.LogFile})
		logger = log.NewZapLogger(zl.WithOptions(zap.WithFatalHook(panicOnFatal{})))
	}
	authorizer, claimMapper := opts.authorization()
	srv, err := temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(opts.services()),
		temporal.WithLogger(logger),
		temporal.WithAuthorizer(authorizer),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return claimMapper }),
		temporal.WithDynamicConfigClient(dynamicConfig()),
	)
	if err != nil {
		return nil, fmt.Errorf("creating the Temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("starting the Temporal server: %w", err)
	}
	s := &Server{server: srv, hostPort: frontendHostPort(opts.Port), namespace: opts.Namespace}
	if err := s.ensureSearchAttributes(ctx, internalHostPort(conf), attrs); err != nil {
		_ = s.Stop()
		return nil, err
	}
	if opts.UI {
		if opts.UIPort == 0 {
			opts.UIPort = ports[8]
		}
		ui, err := startUI(internalHostPort(conf), opts.UIPort, opts.Namespace)
		if err != nil {
			_ = s.Stop()
			return nil, err
		}
		s.ui = ui
		s.uiURL = "http://127.0.0.1:" + strconv.Itoa(opts.UIPort)
	}
	return s, nil
}

// HostPort is the frontend's address for SDK clients.
func (s *Server) HostPort() string { return s.hostPort }

// UIURL is the Web UI's address, or "" when the UI is off.
func (s *Server) UIURL() string { return s.uiURL }

// Namespace is the namespace the server was started with.
func (s *Server) Namespace() string { return s.namespace }

// Stop stops the UI and the server.
func (s *Server) Stop() error {
	if s.ui != nil {
		s.ui.Stop()
	}
	return s.server.Stop()
}

// ensureSearchAttributes registers any attribute that an existing database
// does not have yet (CreateNamespaces leaves existing namespaces alone), and
// waits until the frontend answers.
func (s *Server) ensureSearchAttributes(ctx context.Context, hostPort string, want map[string]enumspb.IndexedValueType) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{HostPort: hostPort, Namespace: s.namespace, Logger: quietLogger{}})
	if err != nil {
		return fmt.Errorf("connecting to the embedded Temporal server at %s: %w", hostPort, err)
	}
	defer c.Close()
	for {
		_, err := searchattrs.Ensure(ctx, c.OperatorService(), s.namespace, want)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("registering search attributes on %s: %w (last error: %v)", s.hostPort, ctx.Err(), err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func serverConfig(opts Options, ports []int) *config.Config {
	const host = "127.0.0.1"
	sql := &config.SQL{
		PluginName:        sqliteplugin.PluginName,
		ConnectAttributes: map[string]string{"mode": "memory", "cache": "shared"},
		DatabaseName:      "cairn-" + strconv.Itoa(opts.Port),
	}
	if opts.DBFile != "" {
		// WAL with synchronous NORMAL: a killed process loses nothing that
		// was committed; only a power loss may drop the last transactions,
		// which suits a development server. FULL paid an fsync for every
		// one of a workflow's many small writes.
		sql.ConnectAttributes = map[string]string{"mode": "rwc", "journal_mode": "wal", "synchronous": "1"}
		sql.DatabaseName = opts.DBFile
	}
	service := func(grpc, membership int) config.Service {
		return config.Service{RPC: config.RPC{GRPCPort: grpc, MembershipPort: membership, BindOnIP: host}}
	}
	frontend := frontendHostPort(opts.Port)
	return &config.Config{
		Global: config.Global{
			Membership: config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: host},
		},
		Persistence: config.Persistence{
			DefaultStore:     sqliteplugin.PluginName,
			VisibilityStore:  sqliteplugin.PluginName,
			NumHistoryShards: 1,
			DataStores:       map[string]config.DataStore{sqliteplugin.PluginName: {SQL: sql}},
		},
		ClusterMetadata: &cluster.Config{
			FailoverVersionIncrement: 10,
			MasterClusterName:        "active",
			CurrentClusterName:       "active",
			ClusterInformation: map[string]cluster.ClusterInformation{
				"active": {Enabled: true, InitialFailoverVersion: 1, RPCAddress: frontend},
			},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services: map[string]config.Service{
			string(primitives.FrontendService): service(opts.Port, ports[0]),
			string(primitives.HistoryService):  service(ports[1], ports[2]),
			string(primitives.MatchingService): service(ports[3], ports[4]),
			string(primitives.WorkerService):   service(ports[5], ports[6]),
		},
		Archival: config.Archival{
			History:    config.HistoryArchival{State: "disabled"},
			Visibility: config.VisibilityArchival{State: "disabled"},
		},
		NamespaceDefaults: config.NamespaceDefaults{Archival: config.ArchivalNamespaceDefaults{
			History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
			Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"},
		}},
		PublicClient: config.PublicClient{HostPort: frontend},
	}
}

// frontendHostPort is the address of the public frontend on port.
func frontendHostPort(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }

func dynamicConfig() dynamicconfig.StaticClient {
	return dynamicconfig.StaticClient{
		dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): []dynamicconfig.ConstrainedValue{{Value: true}},
		dynamicconfig.FrontendPersistenceMaxQPS.Key():               []dynamicconfig.ConstrainedValue{{Value: 10000}},
		dynamicconfig.HistoryPersistenceMaxQPS.Key():                []dynamicconfig.ConstrainedValue{{Value: 45000}},
	}
}
