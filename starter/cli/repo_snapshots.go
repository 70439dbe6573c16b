package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/repo"
)

// snapshotJSON is a snapshot as `restic snapshots --json` prints it.
type snapshotJSON struct {
	*repo.Snapshot
	ID      string `json:"id"`
	ShortID string `json:"short_id"`
}

func newRepoSnapshotsCommand(f *repoFlags) *cobra.Command {
	var filter repo.SnapshotFilter
	var output string
	cmd := &cobra.Command{
		Use:   "snapshots",
		Short: "List snapshots",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output != "table" && output != "json" {
				return fmt.Errorf("unknown -o %q: use table or json", output)
			}
			r, err := f.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer r.Close()
			sns, err := r.ListSnapshots(cmd.Context())
			if err != nil {
				return err
			}
			sns = repo.FilterSnapshots(sns, filter)
			out := cmd.OutOrStdout()
			if output == "json" {
				list := make([]snapshotJSON, 0, len(sns))
				for _, sn := range sns {
					id := sn.ID().String()
					list = append(list, snapshotJSON{Snapshot: sn, ID: id, ShortID: id[:8]})
				}
				enc := json.NewEncoder(out)
				return enc.Encode(list)
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTime\tHost\tTags\tPaths\tSize")
			for _, sn := range sns {
				size := ""
				if sn.Summary != nil {
					size = humanBytes(sn.Summary.TotalBytesProcessed)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", sn.ID().String()[:8], sn.Time.Local().Format(time.DateTime),
					sn.Hostname, strings.Join(sn.Tags, ","), strings.Join(sn.Paths, ","), size)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(out, "%d snapshots\n", len(sns))
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table or json")
	addFilterFlags(cmd, &filter)
	return cmd
}

func addFilterFlags(cmd *cobra.Command, filter *repo.SnapshotFilter) {
	cmd.Flags().StringArrayVar(&filter.Tags, "tag", nil, "only snapshots with these tags (comma list = all of them; repeat = any)")
	cmd.Flags().StringArrayVar(&filter.Hosts, "host", nil, "only snapshots of this host (repeatable)")
	cmd.Flags().StringArrayVar(&filter.Paths, "path", nil, "only snapshots that include this path (repeatable)")
}

func humanBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.3f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
