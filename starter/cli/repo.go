package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend/location"
)

// repoFlags are the flags every `cairn repo` command shares.
type repoFlags struct {
	repository      string
	passwordFile    string
	credentialsFile string
	profile         string
	region          string
	caCert          string
	insecureTLS     bool
	compression     string
	packSizeMiB     int
	cpuProfile      string
	memProfile      string
}

func newRepoCommand(kube *kubeFlags) *cobra.Command {
	f := &repoFlags{}
	cmd := &cobra.Command{
		Use:   "repo",
		Short: "Work with restic-compatible repositories directly",
		Long: `Work with restic-compatible repositories directly.

The repository is a folder or s3:<url>/<bucket>/<prefix> (restic's syntax), from
-r/--repo, CAIRN_REPOSITORY or RESTIC_REPOSITORY. The password comes from
--password-file, CAIRN_REPO_PASSWORD, RESTIC_PASSWORD or RESTIC_PASSWORD_FILE.
S3 credentials come from --credentials-file (the AWS format, like Velero's
credentials-velero file) or the AWS_* variables.

'repo get' and 'repo maintain' work on the repositories of the backup storage
locations instead, through the control plane (Temporal), as Velero's
'velero repo get' does.`,
	}
	pf := cmd.PersistentFlags()
	pf.StringVarP(&f.repository, "repo", "r", "", "repository: a folder or s3:<url>/<bucket>/<prefix>")
	pf.StringVar(&f.passwordFile, "password-file", "", "read the repository password from this file")
	pf.StringVar(&f.credentialsFile, "credentials-file", "", "S3 credentials file in the AWS format")
	pf.StringVar(&f.profile, "profile", "", "profile in the credentials file (default: default)")
	pf.StringVar(&f.region, "region", "", "S3 region (default: AWS_REGION, else us-east-1)")
	pf.StringVar(&f.caCert, "cacert", "", "PEM file of a CA that signs the S3 server's certificate")
	pf.BoolVar(&f.insecureTLS, "insecure-tls", false, "skip verifying the S3 server's TLS certificate")
	pf.StringVar(&f.compression, "compression", "auto", "compression for new data: auto, off or max")
	pf.IntVar(&f.packSizeMiB, "pack-size", 16, "target pack size in MiB")
	pf.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile to this file")
	pf.StringVar(&f.memProfile, "memprofile", "", "write a heap profile to this file at exit")
	_ = pf.MarkHidden("cpuprofile")
	_ = pf.MarkHidden("memprofile")
	var stopProfile func() error
	cmd.PersistentPreRunE = func(*cobra.Command, []string) (err error) {
		tuneGC()
		releaseExecutablePages()
		stopProfile, err = f.startProfile()
		return err
	}
	cmd.PersistentPostRunE = func(*cobra.Command, []string) error { return stopProfile() }
	cmd.AddCommand(
		newRepoInitCommand(f), newRepoSnapshotsCommand(f), newRepoCheckCommand(f), newRepoKeyCommand(f),
		newRepoForgetCommand(f), newRepoPruneCommand(f),
		newRepoGetCommand(kube), newRepoMaintainCommand(kube),
	)
	addRepoDataCommands(cmd, f)
	return cmd
}

// location parses the repository and applies the credential flags.
func (f *repoFlags) location() (location.Location, error) {
	r := f.repository
	if r == "" {
		r = firstEnv("CAIRN_REPOSITORY", "RESTIC_REPOSITORY")
	}
	loc, err := location.Parse(r)
	if err != nil {
		return loc, err
	}
	if loc.S3 != nil {
		loc.S3.CredentialsFile = f.credentialsFile
		loc.S3.Profile = f.profile
		loc.S3.Region = f.region
		loc.S3.CACertFile = f.caCert
		loc.S3.InsecureSkipVerify = f.insecureTLS
	}
	return loc, nil
}

// password finds the repository password.
func (f *repoFlags) password() (string, error) {
	file := f.passwordFile
	if file == "" {
		if pw := firstEnv("CAIRN_REPO_PASSWORD", "RESTIC_PASSWORD"); pw != "" {
			return pw, nil
		}
		file = os.Getenv("RESTIC_PASSWORD_FILE")
	}
	if file == "" {
		return "", errors.New("no repository password: set CAIRN_REPO_PASSWORD or pass --password-file")
	}
	return readPasswordFile(file)
}

func readPasswordFile(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("reading the password file: %w", err)
	}
	pw := strings.TrimRight(string(data), "\r\n")
	if pw == "" {
		return "", fmt.Errorf("the password file %s is empty", file)
	}
	return pw, nil
}

func (f *repoFlags) options() (repo.Options, error) {
	opts := repo.Options{PackSize: f.packSizeMiB << 20}
	switch f.compression {
	case "auto", "":
		opts.Compression = repo.CompressionAuto
	case "off":
		opts.Compression = repo.CompressionOff
	case "max":
		opts.Compression = repo.CompressionMax
	default:
		return opts, fmt.Errorf("unknown --compression %q: use auto, off or max", f.compression)
	}
	if f.packSizeMiB < 4 || f.packSizeMiB > 128 {
		return opts, fmt.Errorf("--pack-size %d is outside 4..128 MiB", f.packSizeMiB)
	}
	return opts, nil
}

// open opens the repository; noIndex skips loading the index for commands
// that only read keys or snapshots.
func (f *repoFlags) open(ctx context.Context, noIndex bool) (*repo.Repository, error) {
	loc, err := f.location()
	if err != nil {
		return nil, err
	}
	pw, err := f.password()
	if err != nil {
		return nil, err
	}
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	opts.NoIndex = noIndex
	be, err := loc.Open(ctx)
	if err != nil {
		return nil, err
	}
	r, err := repo.Open(ctx, be, pw, opts)
	if err != nil {
		be.Close()
		return nil, err
	}
	return r, nil
}

func firstEnv(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

func newRepoInitCommand(f *repoFlags) *cobra.Command {
	var version int
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create a new repository",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			loc, err := f.location()
			if err != nil {
				return err
			}
			pw, err := f.password()
			if err != nil {
				return err
			}
			opts, err := f.options()
			if err != nil {
				return err
			}
			opts.Version = version
			be, err := loc.Create(cmd.Context())
			if err != nil {
				return err
			}
			defer be.Close()
			r, err := repo.Init(cmd.Context(), be, pw, opts)
			if err != nil {
				return err
			}
			defer r.Close()
			fmt.Fprintf(cmd.OutOrStdout(), "created restic repository %s at %s\n", r.Config().ID[:10], be.Location())
			return nil
		},
	}
	cmd.Flags().IntVar(&version, "repository-version", 2, "repository format version: 1 or 2")
	return cmd
}
