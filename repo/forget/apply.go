package forget

import (
	"fmt"
	"slices"
	"time"

	"github.com/cairn-backup/cairn/repo"
)

// Kept is a snapshot the policy keeps and why, in restic's words: "last
// snapshot", "daily snapshot", "oldest monthly snapshot", "has tags [a]",
// "within 7d", "weekly within 1m", ...
type Kept struct {
	Snapshot *repo.Snapshot
	Reasons  []string
}

// Decision is what a Policy does to one group: the snapshots it keeps and
// those it removes, each newest first.
type Decision struct {
	Keep   []Kept
	Remove []*repo.Snapshot
}

// bucket counts the periods of one kind (hour, day, ...) a policy keeps a
// snapshot for: period maps a snapshot's time to its period, last is the
// period of the last snapshot kept for it.
type bucket struct {
	left   int // periods still to keep; Unlimited keeps counting forever
	within Duration
	period func(t time.Time, nr int) int
	last   int
	reason string
}

// Apply decides which of sns to keep, the way restic 0.18's ApplyPolicy
// does. sns is one group; it is not modified. Snapshots are considered
// newest first (snapshots with equal times in their order in sns). now
// decides which snapshots are in the future: those do not count as the
// newest snapshot the --keep-within* spans are measured from.
func (p Policy) Apply(sns []*repo.Snapshot, now time.Time) Decision {
	list := slices.Clone(sns)
	slices.SortStableFunc(list, func(a, b *repo.Snapshot) int { return b.Time.Compare(a.Time) })
	var d Decision
	if len(list) == 0 {
		return d
	}
	counted, within := p.buckets()
	newest := newestBefore(list, now)
	for nr, sn := range list {
		oldest := nr == len(list)-1
		reasons := p.fixedReasons(sn, newest)
		reasons = append(reasons, keepCounted(counted, sn, nr, oldest)...)
		reasons = append(reasons, keepWithin(within, sn, nr, oldest, newest)...)
		if len(reasons) > 0 {
			d.Keep = append(d.Keep, Kept{Snapshot: sn, Reasons: reasons})
		} else {
			d.Remove = append(d.Remove, sn)
		}
	}
	return d
}

// buckets returns the counted buckets (last n, hourly, ...) and the
// buckets of the --keep-within-<period> options.
func (p Policy) buckets() (counted, within []*bucket) {
	periods := []func(time.Time, int) int{ordinal, hour, day, isoWeek, month, year}
	kinds := []string{"last", "hourly", "daily", "weekly", "monthly", "yearly"}
	for i, n := range p.counts() {
		counted = append(counted, &bucket{left: n, period: periods[i], last: -1, reason: kinds[i] + " snapshot"})
	}
	durations := p.durations()
	for i, d := range durations[1:] {
		within = append(within, &bucket{within: d, period: periods[i+1], last: -1, reason: kinds[i+1] + " within"})
	}
	return counted, within
}

// fixedReasons are the reasons that need no counting: the tag lists sn
// matches and --keep-within.
func (p Policy) fixedReasons(sn *repo.Snapshot, newest time.Time) []string {
	var reasons []string
	for _, l := range p.Tags {
		if l.Match(sn) {
			reasons = append(reasons, fmt.Sprintf("has tags %v", l))
		}
	}
	if !p.Within.Zero() && sn.Time.After(p.Within.before(newest)) {
		reasons = append(reasons, fmt.Sprintf("within %v", p.Within))
	}
	return reasons
}

// keepCounted keeps sn, the nr-th newest, for each counted bucket with
// periods left whose period it starts; the oldest snapshot is kept for
// every bucket with periods left.
func keepCounted(buckets []*bucket, sn *repo.Snapshot, nr int, oldest bool) []string {
	var reasons []string
	for _, b := range buckets {
		if b.left == 0 || b.left < Unlimited {
			continue
		}
		if r, ok := b.take(sn, nr, oldest); ok {
			if b.left > 0 {
				b.left--
			}
			reasons = append(reasons, r)
		}
	}
	return reasons
}

// keepWithin keeps sn for each --keep-within-<period> bucket whose span
// (back from newest) holds sn and whose period sn starts.
func keepWithin(buckets []*bucket, sn *repo.Snapshot, nr int, oldest bool, newest time.Time) []string {
	var reasons []string
	for _, b := range buckets {
		if b.within.Zero() || !sn.Time.After(b.within.before(newest)) {
			continue
		}
		if r, ok := b.take(sn, nr, oldest); ok {
			reasons = append(reasons, fmt.Sprintf("%s %v", r, b.within))
		}
	}
	return reasons
}

// take reports whether b keeps sn: it does when sn starts a new period,
// and for the oldest snapshot ("oldest ..." when its period already has
// one).
func (b *bucket) take(sn *repo.Snapshot, nr int, oldest bool) (string, bool) {
	val := b.period(sn.Time, nr)
	if val != b.last {
		b.last = val
		return b.reason, true
	}
	if oldest {
		return "oldest " + b.reason, true
	}
	return "", false
}

// newestBefore returns the time of the newest snapshot before now, or the
// zero time if every snapshot is in the future.
func newestBefore(list []*repo.Snapshot, now time.Time) time.Time {
	var newest time.Time
	for _, sn := range list {
		if sn.Time.After(newest) && sn.Time.Before(now) {
			newest = sn.Time
		}
	}
	return newest
}
