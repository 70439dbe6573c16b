package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/cairn-backup/cairn/repo"
)

// printCheckResult prints what a check found: problems, damaged packs
// with the snapshots and files they affect, and the totals.
func printCheckResult(out io.Writer, res *repo.CheckResult, opts repo.CheckOptions) {
	for _, p := range res.Problems {
		fmt.Fprintln(out, "error:", p)
	}
	if n := len(res.UnreferencedPacks); n > 0 {
		fmt.Fprintf(out, "%d packs are not referenced by any index (left by an interrupted backup; harmless)\n", n)
	}
	for _, d := range res.Damage {
		printPackDamage(out, d)
	}
	if len(res.Damage) > 0 {
		ids := make([]string, len(res.Damage))
		for i, d := range res.Damage {
			ids[i] = d.Pack.String()
		}
		fmt.Fprintf(out, "\nrestic 0.18 repairs damaged packs: restic repair packs %s, then restic repair snapshots --forget\n\n",
			strings.Join(ids, " "))
	}
	fmt.Fprintf(out, "checked %d snapshots, %d trees, %d blobs in %d packs (%d index files)",
		res.Snapshots, res.Trees, res.Blobs, res.Packs, res.IndexFiles)
	switch {
	case opts.ReadData:
		fmt.Fprintf(out, ", reading all data (%s)", humanBytes(uint64(res.BytesRead)))
	case opts.Subset != nil:
		fmt.Fprintf(out, ", reading %s of the data: %d packs (%s)", describeSubset(opts.Subset), res.PacksRead, humanBytes(uint64(res.BytesRead)))
	}
	fmt.Fprintln(out)
}

func describeSubset(s *repo.CheckSubset) string {
	if n, t, ok := s.Group(); ok {
		return fmt.Sprintf("group %d of %d", n, t)
	}
	return s.String()
}

// printPackDamage prints one damaged pack and what it takes with it.
func printPackDamage(out io.Writer, d repo.PackDamage) {
	what := plural(len(d.Blobs), "damaged blob")
	if d.Whole {
		what = "all its blobs are lost"
	}
	fmt.Fprintf(out, "\ndamaged pack %s: %s\n", d.Pack, what)
	if len(d.Snapshots) == 0 {
		fmt.Fprintln(out, "  no snapshot loses data (the blobs have intact copies, or no snapshot uses them)")
	}
	for _, s := range d.Snapshots {
		sn := s.Snapshot
		fmt.Fprintf(out, "  snapshot %s of %s, host %s, paths %s", sn.ID().Str(), sn.Time.Local().Format("2006-01-02 15:04:05"),
			sn.Hostname, strings.Join(sn.Paths, ","))
		if len(sn.Tags) > 0 {
			fmt.Fprintf(out, ", tags %s", strings.Join(sn.Tags, ","))
		}
		fmt.Fprintf(out, ": %s\n", plural(len(s.Files), "path"))
		for _, p := range s.Files {
			if strings.HasSuffix(p, "/") {
				p += " (folder: what lies below cannot be listed)"
			}
			fmt.Fprintln(out, "    "+p)
		}
	}
}

// plural is "1 path" or "2 paths".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
