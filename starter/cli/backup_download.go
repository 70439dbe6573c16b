package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter"
)

func newBackupDownloadCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var (
		output  string
		force   bool
		timeout time.Duration
	)
	cmd := &cobra.Command{
		Use:               "download NAME",
		Short:             "Download all Kubernetes manifests for a backup",
		ValidArgsFunction: completeNames(t, 1, (*starter.Client).BackupNames),
		Long: `Download all Kubernetes manifests for a backup, as Velero's <NAME>-data.tar.gz built from the
backup's resources snapshot. Contents of pod volumes are not included.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if output == "" {
				wd, err := os.Getwd()
				if err != nil {
					return fmt.Errorf("error getting current directory: %w", err)
				}
				output = filepath.Join(wd, name+"-data.tar.gz")
			}
			exists := fmt.Errorf("file %s already exists: remove it, or use --force to overwrite it", output)
			if _, err := os.Lstat(output); err == nil && !force {
				return exists
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			sc, err := t.starter(kube, true)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			// Written aside and renamed, so that a failed download leaves
			// no partial file and keeps the one it would have replaced.
			tmp, err := os.CreateTemp(filepath.Dir(output), "."+filepath.Base(output)+".*")
			if err != nil {
				return err
			}
			defer os.Remove(tmp.Name())
			_, err = sc.DownloadBackup(ctx, name, tmp)
			if cerr := tmp.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			if _, err := os.Lstat(output); err == nil && !force {
				return exists
			}
			if err := os.Rename(tmp.Name(), output); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Backup %s has been successfully downloaded to %s\n", name, output)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&output, "output", "o", "", "path to output file (default: <NAME>-data.tar.gz in the current directory)")
	f.BoolVar(&force, "force", false, "overwrite the output file if it exists already")
	f.DurationVar(&timeout, "timeout", 10*time.Minute, "maximum time the download may take")
	return cmd
}
