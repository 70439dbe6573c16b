package forget

import "time"

// The periods a policy counts, as restic numbers them: each maps a
// snapshot's time, on the calendar of the time's own location (the zone
// the snapshot was written in), to a number that is the same for every
// time in the period. ordinal gives every snapshot a period of its own.

func ordinal(_ time.Time, nr int) int { return nr }

func hour(t time.Time, _ int) int {
	return t.Year()*1000000 + int(t.Month())*10000 + t.Day()*100 + t.Hour()
}

func day(t time.Time, _ int) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

func isoWeek(t time.Time, _ int) int {
	y, w := t.ISOWeek()
	return y*100 + w
}

func month(t time.Time, _ int) int { return t.Year()*100 + int(t.Month()) }

func year(t time.Time, _ int) int { return t.Year() }
