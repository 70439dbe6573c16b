package main

import (
	"fmt"
	"io"
	"os"

	"github.com/cairn-backup/cairn/tests/benchrun"
)

// result is one case run by both tools.
type result struct {
	id, title     string
	cairn, restic measurement
	err           error
}

// targets of issue 2/5: minimum throughput ratio cairn/restic, and maximum
// repository size ratio (0 = none).
var targets = map[string]struct{ speed, size float64 }{
	"a": {2.0, 1.05}, "b": {1.5, 0}, "c": {1.0, 0}, "d": {1.5, 0},
}

func compare(id, title string, tools []*tool, runs int, run func(*tool) (measurement, error)) result {
	r := result{id: id, title: title}
	fmt.Fprintf(os.Stderr, "(%s) %s ...\n", id, title)
	names := make([]string, len(tools))
	for i, t := range tools {
		names[i] = t.Name
	}
	best, err := benchrun.Fastest(names, runs, nil, func(i int) (measurement, error) { return run(tools[i]) })
	if err != nil {
		r.err = err
		return r
	}
	for i, t := range tools {
		if t.Name == "cairn" {
			r.cairn = best[i]
		} else {
			r.restic = best[i]
		}
	}
	return r
}

func mbps(m measurement) float64 { return float64(m.Bytes) / 1e6 / m.Seconds }

func printResults(w io.Writer, results []result) {
	fmt.Fprintln(w, "case\ttool\tseconds\tMB/s\tpeak RSS MiB\trepo MiB\t")
	for _, r := range results {
		if r.err != nil {
			fmt.Fprintf(w, "%s\terror: %v\t\n", r.id, r.err)
			continue
		}
		for _, t := range []struct {
			name string
			m    measurement
		}{{"restic", r.restic}, {"cairn", r.cairn}} {
			fmt.Fprintf(w, "%s\t%s\t%.2f\t%.0f\t%.0f\t%.0f\t\n", r.id, t.name, t.m.Seconds, mbps(t.m),
				float64(t.m.PeakRSS)/(1<<20), float64(t.m.RepoSize)/(1<<20))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "case\tspeed cairn/restic\ttarget\tRSS cairn/restic\tsize cairn/restic\tverdict\t")
	for _, r := range results {
		if r.err != nil {
			continue
		}
		tg := targets[r.id]
		speed := r.restic.Seconds / r.cairn.Seconds
		rss := float64(r.cairn.PeakRSS) / float64(r.restic.PeakRSS)
		size := float64(r.cairn.RepoSize) / float64(r.restic.RepoSize)
		ok := speed >= tg.speed && rss <= 1 && (tg.size == 0 || size <= tg.size)
		verdict := "meets targets"
		if !ok {
			verdict = "MISSES a target"
		}
		fmt.Fprintf(w, "(%s) %s\t%.2fx\t>= %.1fx\t%.2f\t%.3f\t%s\t\n", r.id, r.title, speed, tg.speed, rss, size, verdict)
	}
}
