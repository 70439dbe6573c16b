// Command benchrepo compares `cairn repo` with restic v0.18.1 on the same
// generated data, in one run, on the local backend, and prints for each tool
// the time, throughput, peak RSS and repository size, with the ratios and the
// targets of issue 2/5:
//
//	(a) fresh backup of 2 GiB (1 GiB random + 1 GiB compressible text)
//	(b) fresh backup of a many-small-files tree (a copy of GOROOT)
//	(c) re-backup of (a), unchanged
//	(d) restore of (a)
//
// The data set is generated deterministically once and cached in .tools/bench-data.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
)

func main() {
	var (
		cairn  = flag.String("cairn", "bin/cairn", "the cairn binary")
		restic = flag.String("restic", ".tools/bin/restic", "the restic binary")
		data   = flag.String("data", ".tools/bench-data", "folder for the cached data set")
		work   = flag.String("work", "", "folder for repositories and restores (default: a temporary folder)")
		scale  = flag.Float64("scale", 1, "scale the 2 GiB data set (e.g. 0.1 for a quick run)")
		cases  = flag.String("cases", "abcd", "which cases to run")
		runs   = flag.Int("runs", 5, "runs of each tool per case; the fastest counts")
	)
	flag.Parse()
	if err := run(*cairn, *restic, *data, *work, *scale, *cases, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "benchrepo:", err)
		os.Exit(1)
	}
}

func run(cairn, restic, dataDir, work string, scale float64, cases string, runs int) error {
	if runs < 1 {
		return fmt.Errorf("-runs %d: at least one run is needed", runs)
	}
	for _, p := range []*string{&cairn, &restic, &dataDir} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	for _, bin := range []string{cairn, restic} {
		if _, err := os.Stat(bin); err != nil {
			return fmt.Errorf("%s is missing: run `make build tools`", bin)
		}
	}
	if work == "" {
		dir, err := os.MkdirTemp("", "cairn-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	big, err := generateMixed(filepath.Join(dataDir, fmt.Sprintf("mixed-%g", scale)), scale)
	if err != nil {
		return err
	}
	small, err := copyGoroot(filepath.Join(dataDir, "goroot"))
	if err != nil {
		return err
	}
	tools := []*tool{newCairn(cairn, work), newRestic(restic, work)}
	var results []result
	for _, c := range cases {
		switch c {
		case 'a':
			results = append(results, compare("a", "fresh backup, 1 GiB random + 1 GiB text", tools, runs,
				func(t *tool) (measurement, error) { return t.backup("mixed", big, true) }))
		case 'b':
			results = append(results, compare("b", "fresh backup, GOROOT copy (many small files)", tools, runs,
				func(t *tool) (measurement, error) { return t.backup("small", small, true) }))
		case 'c':
			results = append(results, compare("c", "re-backup of (a), unchanged", tools, runs,
				func(t *tool) (measurement, error) { return t.backup("mixed", big, false) }))
		case 'd':
			results = append(results, compare("d", "restore of (a)", tools, runs,
				func(t *tool) (measurement, error) { return t.restore("mixed", big) }))
		default:
			return fmt.Errorf("unknown case %q", c)
		}
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	printResults(tw, results)
	return tw.Flush()
}
