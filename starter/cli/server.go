package cli

import (
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/worker"
)

func newServerCommand(kube *kubeFlags) *cobra.Command {
	var (
		metricsAddr string
		t           *temporalFlags
	)
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Run Cairn's control-plane worker: the backup and restore workflows and their activities",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rules := clientcmd.NewDefaultClientConfigLoadingRules()
			rules.ExplicitPath = kube.kubeconfig
			overrides := &clientcmd.ConfigOverrides{CurrentContext: kube.context}
			rc, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
			if err != nil {
				return fmt.Errorf("loading the kubeconfig: %w", err)
			}
			store, err := kube.locationStore()
			if err != nil {
				return err
			}
			cfg := t.config()
			cfg.MetricsAddress, cfg.Kube = metricsAddr, rc
			cfg.Locations = activities.KubeLocations{Store: store}
			cfg.Logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			return worker.Run(cmd.Context(), cfg)
		},
	}
	t = addTemporalFlags(cmd)
	cmd.Flags().StringVar(&metricsAddr, "metrics-address", ":8085", "serve /metrics and /healthz on this address (empty: do not serve)")
	return cmd
}
