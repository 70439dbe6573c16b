package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/activities/locations"
)

func newLocationCreateCommand(k *kubeFlags) *cobra.Command {
	var (
		f                       locationFlags
		provider, bucket, path  string
		prefix, repoPasswordRef string
	)
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a backup storage location",
		Long: `Create a backup storage location, check that its bucket is reachable with its
credentials, and report the phase. Bad input is refused before anything is
written.`,
		Example: `  cairn backup-location create cephlocation --provider aws --bucket velerobackupstorage \
      --config region=minio,s3ForcePathStyle="true",s3Url=https://192.168.1.10:80 \
      --credential=credential-file=bsl --prefix default
  cairn backup-location create minio --provider aws --bucket backups --credential-file ./credentials-velero \
      --config region=minio,s3ForcePathStyle=true,s3Url=http://minio:9000 --default`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			loc := locations.Location{Name: args[0], Spec: locations.Spec{
				Provider: locations.Provider(provider), Bucket: bucket, Path: path, Prefix: prefix,
			}}
			if err := f.apply(&loc, nil); err != nil {
				return err
			}
			if repoPasswordRef != "" {
				ref, err := locations.ParseSecretKeyRef(repoPasswordRef)
				if err != nil {
					return fmt.Errorf("--repository-password-secret: %w", err)
				}
				loc.Spec.RepositoryPassword = &ref
			}
			locations.Normalize(&loc)
			if err := locations.Validate(loc); err != nil {
				return err
			}
			store, err := k.locationStore()
			if err != nil {
				return err
			}
			loc.Status = store.Check(cmd.Context(), loc)
			loc.Status.LastValidationTime = time.Now().UTC().Truncate(time.Second)
			created, err := store.Create(cmd.Context(), loc)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Backup storage location %q configured successfully.\n", created.Name)
			printPhase(cmd.OutOrStdout(), cmd.ErrOrStderr(), created)
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&provider, "provider", "", "aws (S3 and S3-compatible servers) or local (a folder)")
	fs.StringVar(&bucket, "bucket", "", "S3 bucket (provider aws)")
	fs.StringVar(&path, "path", "", "absolute folder path (provider local)")
	fs.StringVar(&prefix, "prefix", "", "folder inside the bucket or path")
	fs.StringVar(&repoPasswordRef, "repository-password-secret", "", "Secret key with the repository password, as secret-name=key (default: a generated password shared by locations)")
	f.register(fs)
	return cmd
}

// printPhase reports the outcome of the connectivity check, with a warning
// on stderr when the location is unavailable.
func printPhase(stdout, stderr io.Writer, loc locations.Location) {
	st := loc.Status
	fmt.Fprintf(stdout, "Phase: %s\n", st.Phase)
	if st.Phase != locations.Available {
		fmt.Fprintf(stderr, "cairn: warning: backup storage location %q is %s: %s\n", loc.Name, st.Phase, st.Message)
	}
}
