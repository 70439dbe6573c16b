package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/cairn-backup/cairn/tests/benchrun"
)

// The targets: speed is restic's time over Cairn's; rss and size are
// Cairn's over restic's.
const (
	pruneSpeed = 2.0
	pruneRSS   = 1.0
	pruneSize  = 1.02
	checkSpeed = 2.0
)

// report prints the fastest runs of prune and check, cairn first then
// restic in each, restic's check of Cairn's result ("PASS" or "FAIL: why"),
// and the targets.
func report(w io.Writer, prune, check []benchrun.Measurement, verdict string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "step\ttool\tseconds\tpeak RSS MiB\tresult MiB\t")
	for _, s := range []struct {
		step   string
		m      []benchrun.Measurement
		result bool
	}{{"prune", prune, true}, {"check --read-data", check, false}} {
		for _, i := range []int{1, 0} {
			size := "-"
			if s.result {
				size = fmt.Sprintf("%.0f", float64(s.m[i].RepoSize)/(1<<20))
			}
			fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.0f\t%s\t\n", s.step, []string{"cairn", "restic"}[i], s.m[i].Seconds,
				float64(s.m[i].PeakRSS)/(1<<20), size)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)

	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "target\tresult\tgoal\tverdict")
	row := func(name, result, goal string, met bool) {
		mark := "met"
		if !met {
			mark = "MISSED"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, result, goal, mark)
	}
	speed := prune[1].Seconds / prune[0].Seconds
	row("prune speed restic/cairn", fmt.Sprintf("%.2fx", speed), fmt.Sprintf(">= %.1fx", pruneSpeed), speed >= pruneSpeed)
	rss := float64(prune[0].PeakRSS) / float64(prune[1].PeakRSS)
	row("prune peak RSS cairn/restic", fmt.Sprintf("%.2f", rss), fmt.Sprintf("<= %.2f", pruneRSS), rss <= pruneRSS)
	size := float64(prune[0].RepoSize) / float64(prune[1].RepoSize)
	row("prune result size cairn/restic", fmt.Sprintf("%.3f", size), fmt.Sprintf("<= %.2f", pruneSize), size <= pruneSize)
	passed := verdict == "PASS"
	result := "PASS"
	if !passed {
		result = "FAIL"
	}
	row("restic check --read-data of cairn's result", result, "PASS", passed)
	speed = check[1].Seconds / check[0].Seconds
	row("check --read-data speed restic/cairn", fmt.Sprintf("%.2fx", speed), fmt.Sprintf(">= %.1fx", checkSpeed), speed >= checkSpeed)
	return tw.Flush()
}
