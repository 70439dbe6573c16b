package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/repo"
)

func newRepoCheckCommand(f *repoFlags) *cobra.Command {
	var (
		readData bool
		subset   string
	)
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check the repository's structure, and with --read-data every blob",
		Long: `Check the repository's structure, and with --read-data every blob.

--read-data-subset reads part of the packs, as restic does: n/t reads group n
of t (checks of 1/t ... t/t together read every pack once), x% reads that
share of the packs and a size (500M, 2G) about that many bytes of them, chosen
at random. Damaged or missing packs are listed with the snapshots and files
that lose data with them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := repo.CheckOptions{ReadData: readData}
			if subset != "" {
				if readData {
					return errors.New("--read-data and --read-data-subset exclude each other: read all packs, or a subset")
				}
				s, err := repo.ParseCheckSubset(subset)
				if err != nil {
					return err
				}
				opts.Subset = s
			}
			r, err := f.open(cmd.Context(), true) // Check loads the index itself
			if err != nil {
				return err
			}
			defer r.Close()
			out := cmd.OutOrStdout()
			res, err := r.Check(cmd.Context(), opts)
			if res != nil {
				printCheckResult(out, res, opts)
			}
			if err != nil {
				return &exitError{code: 1, msg: err.Error()}
			}
			fmt.Fprintln(out, "no errors were found")
			return nil
		},
	}
	cmd.Flags().BoolVar(&readData, "read-data", false, "also read, decrypt and verify every blob")
	cmd.Flags().StringVar(&subset, "read-data-subset", "", "read a subset of the packs: n/t (group n of t), x% or a size (500M)")
	return cmd
}
