package cli

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/restore"
	"github.com/cairn-backup/cairn/starter/face"
	"github.com/cairn-backup/cairn/worker"
	"github.com/cairn-backup/cairn/workflows"
)

func newServerCommand(kube *kubeFlags) *cobra.Command {
	var (
		metricsAddr string
		helperImage string
		gcFrequency time.Duration
		validation  time.Duration
		maintain    time.Duration
		syncPeriod  time.Duration
		t           *temporalFlags
	)
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Run Cairn's control-plane worker: the backup and restore workflows and their activities",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rc, err := kube.restConfig()
			if err != nil {
				return err
			}
			store, err := kube.locationStore()
			if err != nil {
				return err
			}
			cfg, err := t.config()
			if err != nil {
				return err
			}
			if gcFrequency < time.Second {
				return fmt.Errorf("--garbage-collection-frequency %v: use at least 1s", gcFrequency)
			}
			if validation < time.Second {
				return fmt.Errorf("--location-validation-frequency %v: use at least 1s", validation)
			}
			cfg.MetricsAddress, cfg.Kube, cfg.GCFrequency = metricsAddr, rc, gcFrequency
			if maintain < time.Second {
				return fmt.Errorf("--default-repo-maintain-frequency %v: use at least 1s", maintain)
			}
			cfg.LocationValidationFrequency, cfg.RepoMaintenanceFrequency = validation, maintain
			cfg.HelperImage = helperImage
			cfg.Locations = activities.KubeLocations{Store: store}
			cfg.Logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			ctx, stop := context.WithCancel(cmd.Context())
			defer stop()
			if syncPeriod < time.Second {
				return fmt.Errorf("--backup-sync-period %v: use at least 1s", syncPeriod)
			}
			go runFace(ctx, rc, store, cfg, syncPeriod)
			return worker.Run(ctx, cfg)
		},
	}
	t = addTemporalFlags(cmd)
	kube.addClientRateFlags(cmd)
	cmd.Flags().StringVar(&helperImage, "restore-helper-image", restore.DefaultHelperImage, "image of the restore-wait init container added to restored pods with pod volumes")
	cmd.Flags().StringVar(&metricsAddr, "metrics-address", ":8085", "serve /metrics and /healthz on this address (empty: do not serve)")
	cmd.Flags().DurationVar(&gcFrequency, "garbage-collection-frequency", worker.DefaultGCFrequency, "how often to delete expired backups (the Temporal Schedule "+workflows.GCScheduleID+")")
	cmd.Flags().DurationVar(&maintain, "default-repo-maintain-frequency", worker.DefaultRepoMaintenanceFrequency, "how often to maintain (prune and check) the repositories of each backup storage location (a Temporal Schedule "+workflows.RepoMaintenanceScheduleID("<location>")+" per location)")
	cmd.Flags().DurationVar(&syncPeriod, "backup-sync-period", face.DefaultSync, "how often every backup, restore and repository that Temporal and the locations' records know is made a velero.io/v1 object in the install namespace (running ones are followed every second)")
	cmd.Flags().DurationVar(&validation, "location-validation-frequency", worker.DefaultLocationValidationFrequency, "how often to validate every backup storage location, setting its phase Available or Unavailable (inside the one long-running workflow "+workflows.LocationValidatorID+", which continues as new hourly)")
	return cmd
}
