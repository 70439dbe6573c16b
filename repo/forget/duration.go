package forget

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a span of calendar time as restic's --keep-within* options
// take it: years, months, days and hours, like 1y5m7d2h.
type Duration struct {
	Years, Months, Days, Hours int
}

// ParseDuration parses restic's duration format: numbers each followed by
// a unit y, m, d or h, in any order (a unit given twice keeps the last
// value). Surrounding space is ignored and the empty string is the zero
// Duration. Numbers may be negative; Policy.Validate rejects those.
func ParseDuration(s string) (Duration, error) {
	var d Duration
	rest := strings.TrimSpace(s)
	for rest != "" {
		n, unit, tail, err := nextDurationPart(rest)
		if err != nil {
			return Duration{}, fmt.Errorf("invalid duration %q: %w; write numbers with a unit y, m, d or h, like 1y5m7d2h", s, err)
		}
		switch unit {
		case 'y':
			d.Years = n
		case 'm':
			d.Months = n
		case 'd':
			d.Days = n
		case 'h':
			d.Hours = n
		}
		rest = tail
	}
	return d, nil
}

// nextDurationPart splits "12d3h" into 12, 'd' and "3h".
func nextDurationPart(s string) (n int, unit byte, rest string, err error) {
	i := 0
	if s[0] == '-' {
		i = 1
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i {
		return 0, 0, "", fmt.Errorf("no number before %q", s[i:])
	}
	n, err = strconv.Atoi(s[:j])
	if err != nil {
		return 0, 0, "", fmt.Errorf("number %s is too large", s[:j])
	}
	if j == len(s) {
		return 0, 0, "", fmt.Errorf("no unit after number %d", n)
	}
	if !strings.ContainsRune("ymdh", rune(s[j])) {
		return 0, 0, "", fmt.Errorf("unknown unit %q after number %d", s[j], n)
	}
	return n, s[j], s[j+1:], nil
}

// String formats d as restic does, omitting zero parts: "1y5m7d2h", "7d".
// The zero Duration is the empty string.
func (d Duration) String() string {
	var b strings.Builder
	for _, p := range []struct {
		n    int
		unit string
	}{{d.Years, "y"}, {d.Months, "m"}, {d.Days, "d"}, {d.Hours, "h"}} {
		if p.n != 0 {
			fmt.Fprintf(&b, "%d%s", p.n, p.unit)
		}
	}
	return b.String()
}

// Zero reports whether every part of d is zero (the option is not set).
func (d Duration) Zero() bool { return d == Duration{} }

// negative reports whether a part of d is below zero.
func (d Duration) negative() bool {
	return d.Years < 0 || d.Months < 0 || d.Days < 0 || d.Hours < 0
}

// before returns t moved back by d: years, months and days on the calendar
// of t's location, then hours.
func (d Duration) before(t time.Time) time.Time {
	return t.AddDate(-d.Years, -d.Months, -d.Days).Add(-time.Duration(d.Hours) * time.Hour)
}
