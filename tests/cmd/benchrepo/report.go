package main

import (
	"fmt"
	"io"
	"os"
	"syscall"
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
	// Each tool runs `runs` times (default 5), in the order A B B A A B
	// ..., each after a sync, and keeps its fastest run: neither tool
	// always meets the page cache the other left, and a run slowed by the
	// machine does not decide the ratio (this VM's memory and disk vary by
	// tens of percent from one run to the next, and memory the guest has
	// not touched for a while is slow to write: the first restore of a
	// case often takes 1.5x its later runs, for either tool).
	var order []*tool
	for i := range runs {
		if i%2 == 0 {
			order = append(order, tools[0], tools[1])
		} else {
			order = append(order, tools[1], tools[0])
		}
	}
	for _, t := range order {
		syscall.Sync()
		m, err := run(t)
		if err != nil {
			r.err = err
			return r
		}
		fmt.Fprintf(os.Stderr, "    %-6s %6.2f s  %4d MiB peak RSS  (CPU: user %.2f s, sys %.2f s)\n", t.name, m.seconds, m.peakRSS>>20, m.user.Seconds(), m.sys.Seconds())
		best := &r.restic
		if t.name == "cairn" {
			best = &r.cairn
		}
		if best.seconds == 0 || m.seconds < best.seconds {
			*best = m
		}
	}
	return r
}

func mbps(m measurement) float64 { return float64(m.bytes) / 1e6 / m.seconds }

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
			fmt.Fprintf(w, "%s\t%s\t%.2f\t%.0f\t%.0f\t%.0f\t\n", r.id, t.name, t.m.seconds, mbps(t.m),
				float64(t.m.peakRSS)/(1<<20), float64(t.m.repoSize)/(1<<20))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "case\tspeed cairn/restic\ttarget\tRSS cairn/restic\tsize cairn/restic\tverdict\t")
	for _, r := range results {
		if r.err != nil {
			continue
		}
		tg := targets[r.id]
		speed := r.restic.seconds / r.cairn.seconds
		rss := float64(r.cairn.peakRSS) / float64(r.restic.peakRSS)
		size := float64(r.cairn.repoSize) / float64(r.restic.repoSize)
		ok := speed >= tg.speed && rss <= 1 && (tg.size == 0 || size <= tg.size)
		verdict := "meets targets"
		if !ok {
			verdict = "MISSES a target"
		}
		fmt.Fprintf(w, "(%s) %s\t%.2fx\t>= %.1fx\t%.2f\t%.3f\t%s\t\n", r.id, r.title, speed, tg.speed, rss, size, verdict)
	}
}
