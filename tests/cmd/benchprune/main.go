// Command benchprune compares `cairn repo prune` with restic v0.18.1's prune
// on copies of one repository that restic made, in one run, and prints for
// each tool the time, peak RSS and the size of the result, with the ratios
// and the targets: at least 2.0x restic's speed, peak RSS no higher than
// restic's, a result at most 1.02x the size of restic's, and `restic check
// --read-data` passing on Cairn's result. It also times `check --read-data`
// of both tools on restic's pruned repository (target: at least 2.0x).
//
// The source repository has -snapshots backups of a data set of -size MiB
// (files of 4 KiB to 64 MiB, half compressible text, half random bytes, from
// fixed seeds), with a random 10-25% range of every file rewritten before
// each backup after the first, then `restic forget --keep-last 2`. It is
// made once and cached under -cache, keyed by the parameters.
//
// Each run copies the source repository (and the cache restic left when it
// made it) to a fresh folder, syncs, and times the prune; the tools take
// turns and the fastest of -runs runs counts. The exit status is 1 when a
// command fails or when restic's check of Cairn's result does not pass, not
// when a target is missed. -cairn may name any program that takes `repo SUB
// -r DIR ...`, such as a script that runs restic, to try the bench itself.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cairn-backup/cairn/tests/benchrun"
)

func main() {
	var (
		cairn     = flag.String("cairn", "bin/cairn", "the cairn binary")
		restic    = flag.String("restic", ".tools/bin/restic", "the restic binary")
		cache     = flag.String("cache", ".tools/bench-prune", "folder for the cached source repositories")
		work      = flag.String("work", "", "folder for the pruned copies (default: a temporary folder)")
		size      = flag.Int("size", 512, "MiB of data in each snapshot of the source repository")
		snapshots = flag.Int("snapshots", 5, "snapshots made in the source repository")
		keepLast  = flag.Int("keep-last", 2, "snapshots that forget keeps before the prune")
		maxUnused = flag.String("max-unused", "5%", "--max-unused of both prunes (restic's default)")
		runs      = flag.Int("runs", 3, "runs of each tool, of prune and of check; the fastest counts")
	)
	flag.Parse()
	p := params{sizeMiB: *size, snapshots: *snapshots, keepLast: *keepLast}
	ok, err := run(*cairn, *restic, *cache, *work, *maxUnused, p, *runs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchprune:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

// run runs the bench and prints the report; ok is whether restic's check of
// Cairn's result passed.
func run(cairnBin, resticBin, cacheDir, work, maxUnused string, p params, runs int) (ok bool, err error) {
	switch {
	case runs < 1:
		return false, fmt.Errorf("-runs %d: at least one run is needed", runs)
	case p.sizeMiB < 1 || p.snapshots < 1 || p.keepLast < 1:
		return false, fmt.Errorf("-size, -snapshots and -keep-last must be at least 1")
	}
	for _, s := range []*string{&cairnBin, &resticBin, &cacheDir} {
		if *s, err = filepath.Abs(*s); err != nil {
			return false, err
		}
	}
	if work == "" {
		dir, err := os.MkdirTemp("", "cairn-bench-prune-")
		if err != nil {
			return false, err
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	cairn, restic := benchrun.Cairn(cairnBin), benchrun.Restic(resticBin)
	tools := []benchrun.Tool{cairn, restic}
	names := []string{cairn.Name, restic.Name}
	workCache := filepath.Join(work, "restic-cache")
	// Fail now, not after making the source repository, when a tool lacks
	// a command or flag the bench uses.
	for _, t := range tools {
		if _, err := os.Stat(t.Bin); err != nil {
			return false, fmt.Errorf("%s is missing: run `make build` and `tests/tools/install.sh restic`", t.Bin)
		}
		for sub, flag := range map[string]string{"prune": "--max-unused", "check": "--read-data"} {
			m, err := t.Run(workCache, sub, work, "--help")
			if err == nil && !strings.Contains(string(m.Output), flag) {
				err = fmt.Errorf("the help of `%s %s` does not mention %s", filepath.Base(t.Bin),
					strings.Join(t.Args(sub, "DIR", "--help"), " "), flag)
			}
			if err != nil {
				return false, fmt.Errorf("%s cannot run the bench's `%s %s` (not written yet?): %v", t.Bin, sub, flag, err)
			}
		}
	}

	src, err := buildSource(restic, cacheDir, p)
	if err != nil {
		return false, err
	}
	srcSize := benchrun.TreeSize(src.repo)
	fmt.Fprintf(os.Stderr, "source: %d MiB, snapshots %s\n", srcSize>>20, strings.Join(src.snapshots, " "))

	pruned := func(i int) string { return filepath.Join(work, tools[i].Name+"-pruned") }
	fmt.Fprintf(os.Stderr, "prune --max-unused %s ...\n", maxUnused)
	prune, err := benchrun.Fastest(names, runs, func(i int) error {
		for _, d := range []string{pruned(i), workCache} {
			if err := os.RemoveAll(d); err != nil {
				return err
			}
		}
		return copyDirs(src.repo, pruned(i), src.cache, workCache)
	}, func(i int) (benchrun.Measurement, error) {
		m, err := tools[i].Run(workCache, "prune", pruned(i), "--max-unused", maxUnused)
		m.RepoSize = benchrun.TreeSize(pruned(i))
		m.Note = fmt.Sprintf("result %.0f MiB", float64(m.RepoSize)/(1<<20))
		return m, err
	})
	if err != nil {
		return false, err
	}

	fmt.Fprintln(os.Stderr, "restic check --read-data of cairn's result ...")
	verdict := verify(restic, workCache, pruned(0), src.snapshots)
	fmt.Fprintln(os.Stderr, "    "+verdict)

	fmt.Fprintln(os.Stderr, "check --read-data of restic's result ...")
	check, err := benchrun.Fastest(names, runs, nil, func(i int) (benchrun.Measurement, error) {
		return tools[i].Run(workCache, "check", pruned(1), "--read-data")
	})
	if err != nil {
		return false, err
	}

	ok = verdict == "PASS"
	fmt.Printf("source: %d snapshots of %d MiB, forget --keep-last %d: %d MiB; prune --max-unused %s; fastest of %d runs\n\n",
		p.snapshots, p.sizeMiB, p.keepLast, srcSize>>20, maxUnused, runs)
	return ok, report(os.Stdout, prune, check, verdict)
}

// copyDirs copies folders, pairs of source and destination, as cp -a does
// (no hard links).
func copyDirs(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if out, err := exec.Command("cp", "-a", pairs[i], pairs[i+1]).CombinedOutput(); err != nil {
			return fmt.Errorf("cp -a %s %s: %v: %s", pairs[i], pairs[i+1], err, out)
		}
	}
	return nil
}

// verify runs restic check --read-data on repo and compares its snapshots
// with want: "PASS", or "FAIL: " and why.
func verify(restic benchrun.Tool, cache, repo string, want []string) string {
	if _, err := restic.Run(cache, "check", repo, "--read-data"); err != nil {
		return "FAIL: " + err.Error()
	}
	got, err := snapshotIDs(restic, cache, repo)
	if err != nil {
		return "FAIL: " + err.Error()
	}
	if !slices.Equal(got, want) {
		return fmt.Sprintf("FAIL: snapshots %v after the prune, want %v", got, want)
	}
	return "PASS"
}
