package cli

import (
	"fmt"
	"io"

	"github.com/cairn-backup/cairn/repo"
)

// printPruneSummary prints what a prune found and did (or, in a dry run,
// would do) the way restic's prune reports it: the blobs used and unused,
// what is repacked and deleted, what remains, then the packs kept,
// repacked and removed with their sizes.
func printPruneSummary(w io.Writer, st *repo.PruneStats) {
	printPruneBlobs(w, st)
	printPrunePlan(w, st)
	printPrunePacks(w, st)
}

// printPruneBlobs prints the blobs in use and not, as restic's prune does
// before its plan.
func printPruneBlobs(w io.Writer, st *repo.PruneStats) {
	b, s := st.Blobs, st.Size
	fmt.Fprintf(w, "used:         %10d blobs / %s\n", b.Used, humanBytes(s.Used))
	if b.Duplicate > 0 {
		fmt.Fprintf(w, "duplicates:   %10d blobs / %s\n", b.Duplicate, humanBytes(s.Duplicate))
	}
	fmt.Fprintf(w, "unused:       %10d blobs / %s\n", b.Unused, humanBytes(s.Unused))
	if s.Unreferenced > 0 {
		fmt.Fprintf(w, "unreferenced:                    %s\n", humanBytes(s.Unreferenced))
	}
	total, totalSize := pruneTotals(st)
	fmt.Fprintf(w, "total:        %10d blobs / %s\n", total, humanBytes(totalSize))
	fmt.Fprintf(w, "unused size: %s of total size\n", percent(s.Duplicate+s.Unused, totalSize))
}

// printPrunePlan prints what is repacked and deleted, and what remains.
func printPrunePlan(w io.Writer, st *repo.PruneStats) {
	b, s := st.Blobs, st.Size
	fmt.Fprintf(w, "\nto repack:    %10d blobs / %s\n", b.Repack, humanBytes(s.Repack))
	fmt.Fprintf(w, "this removes: %10d blobs / %s\n", b.RepackRemove, humanBytes(s.RepackRemove))
	fmt.Fprintf(w, "to delete:    %10d blobs / %s\n", b.Remove, humanBytes(s.Remove+s.Unreferenced))
	pruned := s.Remove + s.RepackRemove + s.Unreferenced
	fmt.Fprintf(w, "total prune:  %10d blobs / %s\n", b.Remove+b.RepackRemove, humanBytes(pruned))
	if s.Uncompressed > 0 {
		fmt.Fprintf(w, "not yet compressed:              %s\n", humanBytes(s.Uncompressed))
	}
	total, totalSize := pruneTotals(st)
	remaining := subFloor(totalSize, pruned)
	fmt.Fprintf(w, "remaining:    %10d blobs / %s\n", max(0, total-b.Remove-b.RepackRemove), humanBytes(remaining))
	unusedAfter := subFloor(s.Duplicate+s.Unused, s.Remove+s.RepackRemove)
	fmt.Fprintf(w, "unused size after prune: %s (%s of remaining size)\n", humanBytes(unusedAfter), percent(unusedAfter, remaining))
}

// printPrunePacks prints the packs by use and what became of them.
func printPrunePacks(w io.Writer, st *repo.PruneStats) {
	p := st.Packs
	fmt.Fprintf(w, "\ntotally used packs: %10d\n", p.Used)
	fmt.Fprintf(w, "partly used packs:  %10d\n", p.PartlyUsed)
	fmt.Fprintf(w, "unused packs:       %10d\n", p.Unused)
	if p.Unreferenced > 0 {
		fmt.Fprintf(w, "unreferenced packs: %10d\n", p.Unreferenced)
	}
	verbs := [3]string{"kept", "repacked", "removed"}
	if st.DryRun {
		verbs = [3]string{"to keep", "to repack", "to remove"}
	}
	fmt.Fprintf(w, "\n%-13s %10d packs / %s\n", verbs[0]+":", p.Keep, humanBytes(st.KeptBytes))
	fmt.Fprintf(w, "%-13s %10d packs / %s, written into %s\n", verbs[1]+":", p.Repack, humanBytes(st.RepackedBytes), humanBytes(st.WrittenBytes))
	fmt.Fprintf(w, "%-13s %10d packs / %s\n", verbs[2]+":", p.Remove, humanBytes(st.RemovedBytes))
	if st.IndexFilesWritten+st.IndexFilesRemoved > 0 {
		fmt.Fprintf(w, "index:        %10d files written, %d removed\n", st.IndexFilesWritten, st.IndexFilesRemoved)
	}
	if st.SizeBefore > 0 || st.SizeAfter > 0 {
		fmt.Fprintf(w, "repository:   %s before, %s after\n", humanBytes(st.SizeBefore), humanBytes(st.SizeAfter))
	}
	if st.DryRun {
		fmt.Fprintln(w, "\nthis was a dry run: nothing was changed")
	}
}

// pruneTotals counts every blob and byte in the packs: used, duplicate,
// unused and unreferenced.
func pruneTotals(st *repo.PruneStats) (int, uint64) {
	b, s := st.Blobs, st.Size
	return b.Used + b.Unused + b.Duplicate, s.Used + s.Duplicate + s.Unused + s.Unreferenced
}

// percent formats n of total as restic does ("12.50%"), at most 100%,
// and "0.00%" when total is 0.
func percent(n, total uint64) string {
	if total == 0 {
		return "0.00%"
	}
	return fmt.Sprintf("%3.2f%%", min(100, 100*float64(n)/float64(total)))
}

// subFloor is a-b, or 0 if b is larger.
func subFloor(a, b uint64) uint64 {
	if b > a {
		return 0
	}
	return a - b
}
