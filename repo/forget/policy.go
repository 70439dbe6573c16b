package forget

import (
	"errors"
	"fmt"
	"strings"
)

// Policy says which snapshots of a group to keep, as restic's --keep-*
// options do. A snapshot is kept if any option keeps it.
//
// The counts keep the newest snapshot of each of the last n hours, days,
// ISO weeks, months or years that have snapshots (Last: the last n
// snapshots); Unlimited keeps one for every such period. The durations are
// measured back from the newest snapshot that is not in the future: Within
// keeps every snapshot in that span, WithinHourly ... WithinYearly the
// newest of each period in it. Tags keeps every snapshot that matches one
// of the lists. While a count has snapshots left to keep, the oldest
// snapshot of the group is kept as well ("oldest daily snapshot").
type Policy struct {
	Last, Hourly, Daily, Weekly, Monthly, Yearly int

	Within, WithinHourly, WithinDaily, WithinWeekly, WithinMonthly, WithinYearly Duration

	Tags []TagList
}

// ErrEmptyPolicy is returned for a Policy that keeps nothing: forgetting
// with it would remove every snapshot.
var ErrEmptyPolicy = errors.New("no policy was specified, no snapshots will be removed")

// Empty reports whether p sets no option at all.
func (p Policy) Empty() bool {
	return len(p.Tags) == 0 && p.counts() == [6]int{} && p.durations() == [6]Duration{}
}

func (p Policy) counts() [6]int {
	return [6]int{p.Last, p.Hourly, p.Daily, p.Weekly, p.Monthly, p.Yearly}
}

func (p Policy) durations() [6]Duration {
	return [6]Duration{p.Within, p.WithinHourly, p.WithinDaily, p.WithinWeekly, p.WithinMonthly, p.WithinYearly}
}

var (
	countNames    = [6]string{"keep-last", "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly", "keep-yearly"}
	durationNames = [6]string{"keep-within", "keep-within-hourly", "keep-within-daily", "keep-within-weekly",
		"keep-within-monthly", "keep-within-yearly"}
)

// Validate rejects what restic rejects: counts below -1 (Unlimited) and
// durations with a negative part.
func (p Policy) Validate() error {
	for i, n := range p.counts() {
		if n < Unlimited {
			return fmt.Errorf("invalid %s %d: use a count of 0 or more, or unlimited (-1)", countNames[i], n)
		}
	}
	for i, d := range p.durations() {
		if d.negative() {
			return fmt.Errorf("invalid %s %s: durations cannot have negative parts", durationNames[i], d)
		}
	}
	return nil
}

// String describes p as restic's "Applying Policy:" line does, e.g.
// "keep 7 daily snapshots, 4 weekly snapshots" or "remove" when p is empty.
func (p Policy) String() string {
	var parts []string
	if s := p.countsString(); s != "" {
		parts = append(parts, s)
	}
	if s := p.withinPeriodsString(); s != "" {
		parts = append(parts, s)
	}
	s := strings.Join(parts, ", ")
	if len(p.Tags) > 0 {
		s = joinAnd(s, fmt.Sprintf("all snapshots with tags %v", p.Tags))
	}
	if !p.Within.Zero() {
		s = joinAnd(s, fmt.Sprintf("all snapshots within %v of the newest", p.Within))
	}
	if s == "" {
		return "remove"
	}
	return "keep " + s
}

func (p Policy) countsString() string {
	kinds := [6]string{"latest", "hourly", "daily", "weekly", "monthly", "yearly"}
	var keeps []string
	for i, n := range p.counts() {
		if n > 0 {
			keeps = append(keeps, fmt.Sprintf("%d %s", n, kinds[i]))
		} else if n == Unlimited {
			keeps = append(keeps, "all "+kinds[i])
		}
	}
	if len(keeps) == 0 {
		return ""
	}
	return strings.Join(keeps, ", ") + " snapshots"
}

func (p Policy) withinPeriodsString() string {
	kinds := [6]string{"", "hourly", "daily", "weekly", "monthly", "yearly"}
	var keeps []string
	durations := p.durations()
	for i, d := range durations[1:] {
		if !d.Zero() {
			keeps = append(keeps, fmt.Sprintf("%s snapshots within %v", kinds[i+1], d))
		}
	}
	return strings.Join(keeps, ", ")
}

func joinAnd(s, more string) string {
	if s == "" {
		return more
	}
	return s + " and " + more
}
