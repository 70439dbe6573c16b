package cli

import (
	"errors"
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
			// The periodic validation may record a status between the read
			// and the update: read, change and check again then.
			var updated locations.Location
			for attempt := 1; ; attempt++ {
				updated, err = setLocation(cmd, store, args[0], &f)
				if !errors.Is(err, locations.ErrChanged) || attempt == 5 {
					break
				}
			}
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

// setLocation reads location name, applies the changed flags, checks the
// result and stores it.
func setLocation(cmd *cobra.Command, store *locations.Store, name string, f *locationFlags) (locations.Location, error) {
	fs := cmd.Flags()
	loc, err := store.Get(cmd.Context(), name)
	if err != nil {
		return loc, err
	}
	if err := f.apply(&loc, fs.Changed); err != nil {
		return loc, err
	}
	if f.credentialsFile != "" {
		loc.Spec.Credential = nil
	}
	locations.Normalize(&loc)
	if err := locations.Validate(loc); err != nil {
		return loc, err
	}
	loc.Status = store.Check(cmd.Context(), loc)
	loc.Status.LastValidationTime = time.Now().UTC().Truncate(time.Second)
	return store.Update(cmd.Context(), loc)
}
