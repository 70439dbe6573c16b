package cli

import (
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/activities/locations"
)

func newLocationSetCommand(k *kubeFlags) *cobra.Command {
	var f locationFlags
	cmd := &cobra.Command{
		Use:   "set NAME",
		Short: "Change a backup storage location",
		Long: `Change a backup storage location: make it the default (which clears the
others), replace its credential, change or add config keys (key= removes
one), or switch its access mode. It is checked again afterwards.`,
		Example: `  cairn backup-location set cephlocation --default
  cairn backup-location set cephlocation --credential-file ./credentials-velero
  cairn backup-location set cephlocation --config insecureSkipTLSVerify=true --access-mode ReadOnly`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fs := cmd.Flags()
			if !slices.ContainsFunc(locationFlagNames, fs.Changed) {
				return fmt.Errorf("nothing to change: pass --default, --credential, --credential-file, --config, --cacert or --access-mode")
			}
			store, err := k.locationStore()
			if err != nil {
				return err
			}
			loc, err := store.Get(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if err := f.apply(&loc, fs.Changed); err != nil {
				return err
			}
			if f.credentialsFile != "" {
				loc.Spec.Credential = nil
			}
			locations.Normalize(&loc)
			if err := locations.Validate(loc); err != nil {
				return err
			}
			loc.Status = store.Check(cmd.Context(), loc)
			loc.Status.LastValidationTime = time.Now().UTC().Truncate(time.Second)
			updated, err := store.Update(cmd.Context(), loc)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Backup storage location %q configured successfully.\n", updated.Name)
			printPhase(cmd.OutOrStdout(), cmd.ErrOrStderr(), updated)
			return nil
		},
	}
	f.register(cmd.Flags())
	return cmd
}
