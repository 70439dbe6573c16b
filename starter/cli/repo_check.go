package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newRepoCheckCommand(f *repoFlags) *cobra.Command {
	var readData bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check the repository's structure, and with --read-data every blob",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := f.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer r.Close()
			out := cmd.OutOrStdout()
			res, err := r.Check(cmd.Context(), readData, nil)
			if res != nil {
				for _, p := range res.Problems {
					fmt.Fprintln(out, "error:", p)
				}
				if n := len(res.UnreferencedPacks); n > 0 {
					fmt.Fprintf(out, "%d packs are not referenced by any index (left by an interrupted backup; harmless)\n", n)
				}
				fmt.Fprintf(out, "checked %d snapshots, %d trees, %d blobs in %d packs (%d index files)",
					res.Snapshots, res.Trees, res.Blobs, res.Packs, res.IndexFiles)
				if res.ReadData {
					fmt.Fprint(out, ", reading all data")
				}
				fmt.Fprintln(out)
			}
			if err != nil {
				return &exitError{code: 1, msg: err.Error()}
			}
			fmt.Fprintln(out, "no errors were found")
			return nil
		},
	}
	cmd.Flags().BoolVar(&readData, "read-data", false, "also read, decrypt and verify every blob")
	return cmd
}
