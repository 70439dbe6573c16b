package cli

import (
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/worker"
)

func newNodeAgentCommand(kube *kubeFlags) *cobra.Command {
	var (
		cfg worker.NodeAgentConfig
		t   *temporalFlags
	)
	cmd := &cobra.Command{
		Use:   "node-agent",
		Short: "Run the node agent: back up and restore the pod volumes of this node from the kubelet's pods folder",
		Long: `Run the node agent of one node. It polls the Temporal task queue node-agent/<node>
(the node name comes from $NODE_NAME or --node-name) and backs up and restores the
volumes of the pods on this node, reading and writing them under the kubelet's pods
folder (<pods-dir>/<pod-uid>/volumes/<plugin>/<volume>). Run it on every node, as
the DaemonSet in deploy/ does.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, err := kube.locationStore()
			if err != nil {
				return err
			}
			tc, err := t.config()
			if err != nil {
				return err
			}
			tc.MetricsAddress, tc.Locations = cfg.Temporal.MetricsAddress, activities.KubeLocations{Store: store}
			tc.Logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			cfg.Temporal = tc
			return worker.RunNodeAgent(cmd.Context(), cfg)
		},
	}
	t = addTemporalFlags(cmd)
	kube.addClientRateFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&cfg.Node, "node-name", "", "the node this agent serves (default: $"+worker.NodeNameEnv+")")
	f.StringVar(&cfg.PodsDir, "pods-dir", podvolume.DefaultPodsDir, "the kubelet's pods folder, as mounted in this container")
	f.IntVar(&cfg.Concurrency, "concurrency", worker.DefaultNodeConcurrency, "pod volumes backed up or restored at once on this node")
	f.StringVar(&cfg.Temporal.MetricsAddress, "metrics-address", ":8086", "serve /metrics and /healthz on this address (empty: do not serve)")
	return cmd
}
