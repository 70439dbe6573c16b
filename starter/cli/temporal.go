package cli

import (
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/worker"
)

// temporalFlags say which Temporal server and namespace hold Cairn's
// workflows.
type temporalFlags struct {
	address   string
	namespace string
	security  temporalSecurity
}

func addTemporalFlags(cmd *cobra.Command) *temporalFlags {
	t := &temporalFlags{}
	pf := cmd.PersistentFlags()
	pf.StringVar(&t.address, "temporal-address", "", "Temporal frontend host:port (default: $"+worker.AddressEnv+", else localhost:7233)")
	pf.StringVar(&t.namespace, "temporal-namespace", "", "Temporal namespace (default: $"+worker.NamespaceEnv+", else default)")
	t.security.addFlags(pf)
	return t
}

func (t *temporalFlags) config() worker.Config {
	cfg := worker.Config{TemporalAddress: t.address, TemporalNamespace: t.namespace}
	t.security.apply(&cfg)
	return cfg
}

// starter dials Temporal; with locations, the client also reads the records
// of the backup storage locations. The caller closes the Temporal client.
func (t *temporalFlags) starter(kube *kubeFlags, locations bool) (*starter.Client, error) {
	c, err := t.config().Dial(slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	sc := &starter.Client{Temporal: c}
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
	c, err := t.config().Dial(slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	warn := func(err error) { fmt.Fprintln(cmd.ErrOrStderr(), "cairn: warning:", err) }
	sc := &starter.Client{Temporal: c, Warn: warn}
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
