package cli

import (
	"cmp"
	"fmt"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/cluster"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/clientconfig"
	"github.com/cairn-backup/cairn/worker"
)

// temporalFlags say which Temporal server and namespace hold Cairn's
// workflows.
type temporalFlags struct {
	address   string
	namespace string
	cluster   string
	security  temporalSecurity
}

func addTemporalFlags(cmd *cobra.Command) *temporalFlags {
	t := &temporalFlags{}
	pf := cmd.PersistentFlags()
	pf.StringVar(&t.address, "temporal-address", "", "Temporal frontend host:port (default: $"+worker.AddressEnv+", else the client configuration's, else localhost:7233)")
	pf.StringVar(&t.namespace, "temporal-namespace", "", "Temporal namespace (default: $"+worker.NamespaceEnv+", else the client configuration's, else default)")
	pf.StringVar(&t.cluster, "cluster-name", "", "this cluster's name, when several clusters share the Temporal namespace: it scopes task queues, workflow IDs and search attributes, and commands see only this cluster's work (default: $"+cluster.EnvVar+", else the client configuration's, else none)")
	t.security.addFlags(pf)
	return t
}

// config is the worker configuration the flags give, with the cluster
// name checked.
func (t *temporalFlags) config() (worker.Config, error) {
	conf, err := clientconfig.Load()
	if err != nil {
		return worker.Config{}, err
	}
	cfg := worker.Config{
		TemporalAddress:   cmp.Or(t.address, os.Getenv(worker.AddressEnv), conf[clientconfig.TemporalAddress]),
		TemporalNamespace: cmp.Or(t.namespace, os.Getenv(worker.NamespaceEnv), conf[clientconfig.TemporalNamespace]),
		ClusterName:       cluster.Name(cmp.Or(t.cluster, os.Getenv(cluster.EnvVar), conf[clientconfig.ClusterName])),
	}
	t.security.apply(&cfg)
	name, err := cfg.Cluster()
	cfg.ClusterName = name
	return cfg, err
}

// dial connects to Temporal as the flags say and returns the cluster's
// name with the client.
func (t *temporalFlags) dial() (client.Client, cluster.Name, error) {
	cfg, err := t.config()
	if err != nil {
		return nil, "", err
	}
	c, err := cfg.Dial(slog.New(slog.DiscardHandler))
	return c, cfg.ClusterName, err
}

// starter dials Temporal; with locations, the client also reads the records
// of the backup storage locations. The caller closes the Temporal client.
func (t *temporalFlags) starter(kube *kubeFlags, locations bool) (*starter.Client, error) {
	c, name, err := t.dial()
	if err != nil {
		return nil, err
	}
	sc := &starter.Client{Temporal: c, Cluster: name}
	if locations {
		store, err := kube.locationStore()
		if err != nil {
			c.Close()
			return nil, err
		}
		sc.Locations = activities.KubeLocations{Store: store}
	}
	return sc, nil
}

// recordsStarter dials Temporal for a command that also reads the records
// of the backup storage locations (backups and restores Temporal forgot):
// when they cannot be opened the command goes on with Temporal alone,
// with a warning. Locations whose records cannot be read while listing
// are warned about too.
func (t *temporalFlags) recordsStarter(cmd *cobra.Command, kube *kubeFlags) (*starter.Client, error) {
	c, name, err := t.dial()
	if err != nil {
		return nil, err
	}
	warn := func(err error) { fmt.Fprintln(cmd.ErrOrStderr(), "cairn: warning:", err) }
	sc := &starter.Client{Temporal: c, Warn: warn, Cluster: name}
	if store, err := kube.locationStore(); err != nil {
		warn(fmt.Errorf("not reading the records of the backup storage locations: %w", err))
	} else {
		sc.Locations = activities.KubeLocations{Store: store}
	}
	return sc, nil
}

// orNone prints an empty list as Velero does.
func orNone(s []string, empty string) string {
	if len(s) == 0 {
		return empty
	}
	out := s[0]
	for _, x := range s[1:] {
		out += ", " + x
	}
	return out
}
