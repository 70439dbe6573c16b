package forget

import (
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo"
)

// The expected decisions follow restic 0.18.1's ApplyPolicy step by step;
// the comments give the reasoning. Times are given in any order: Apply
// sorts newest first.
func TestApply(t *testing.T) {
	sundays := []string{
		"2019-09-01T11:00:00Z", "2019-09-08T11:00:00Z", "2019-09-15T11:00:00Z", "2019-09-22T11:00:00Z",
		"2019-09-29T11:00:00Z", "2019-10-06T11:00:00Z", "2019-10-13T11:00:00Z", "2019-10-20T11:00:00Z",
		"2019-10-27T11:00:00Z", "2019-11-03T11:00:00Z", "2019-11-10T11:00:00Z", "2019-11-17T11:00:00Z",
	}
	for _, c := range []struct {
		name   string
		policy Policy
		times  []string
		want   string
	}{{
		// restic's documented example: a backup every Sunday for 12
		// weeks, --keep-daily 4 keeps the last four Sundays.
		name: "doc example keep-daily 4", policy: Policy{Daily: 4}, times: sundays,
		want: lines(
			"2019-11-17T11:00:00Z: daily snapshot", "2019-11-10T11:00:00Z: daily snapshot",
			"2019-11-03T11:00:00Z: daily snapshot", "2019-10-27T11:00:00Z: daily snapshot",
			"2019-10-20T11:00:00Z: -", "2019-10-13T11:00:00Z: -", "2019-10-06T11:00:00Z: -", "2019-09-29T11:00:00Z: -",
			"2019-09-22T11:00:00Z: -", "2019-09-15T11:00:00Z: -", "2019-09-08T11:00:00Z: -", "2019-09-01T11:00:00Z: -"),
	}, {
		name: "keep-last 3 of 5", policy: Policy{Last: 3},
		times: []string{"2024-01-01T00:00:00Z", "2024-01-05T00:00:00Z", "2024-01-02T00:00:00Z", "2024-01-04T00:00:00Z", "2024-01-03T00:00:00Z"},
		want: lines("2024-01-05T00:00:00Z: last snapshot", "2024-01-04T00:00:00Z: last snapshot",
			"2024-01-03T00:00:00Z: last snapshot", "2024-01-02T00:00:00Z: -", "2024-01-01T00:00:00Z: -"),
	}, {
		// Every snapshot is a period of its own for --keep-last, so the
		// oldest is never an "oldest last snapshot".
		name: "keep-last more than there are", policy: Policy{Last: 10},
		times: []string{"2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"},
		want:  lines("2024-01-01T00:00:00Z: last snapshot", "2024-01-01T00:00:00Z: last snapshot"),
	}, {
		// Two a day: the newest of each day, and (daily counts left) the
		// oldest snapshot although its day already has one.
		name: "oldest kept while counts are left", policy: Policy{Daily: 10},
		times: []string{"2024-01-02T18:00:00Z", "2024-01-02T10:00:00Z", "2024-01-01T18:00:00Z", "2024-01-01T10:00:00Z"},
		want: lines("2024-01-02T18:00:00Z: daily snapshot", "2024-01-01T18:00:00Z: daily snapshot",
			"2024-01-01T10:00:00Z: oldest daily snapshot", "2024-01-02T10:00:00Z: -"),
	}, {
		name: "no oldest once counts are used up", policy: Policy{Daily: 2},
		times: []string{"2024-01-03T12:00:00Z", "2024-01-02T12:00:00Z", "2024-01-01T12:00:00Z"},
		want:  lines("2024-01-03T12:00:00Z: daily snapshot", "2024-01-02T12:00:00Z: daily snapshot", "2024-01-01T12:00:00Z: -"),
	}, {
		// The oldest snapshot in a period of its own is a plain "daily
		// snapshot".
		name: "oldest in a new period", policy: Policy{Daily: 5},
		times: []string{"2024-01-03T12:00:00Z", "2024-01-01T12:00:00Z"},
		want:  lines("2024-01-03T12:00:00Z: daily snapshot", "2024-01-01T12:00:00Z: daily snapshot"),
	}, {
		name: "unlimited daily", policy: Policy{Daily: Unlimited},
		times: []string{"2024-01-03T12:00:00Z", "2024-01-02T18:00:00Z", "2024-01-02T09:00:00Z", "2024-01-01T20:00:00Z", "2024-01-01T08:00:00Z"},
		want: lines("2024-01-03T12:00:00Z: daily snapshot", "2024-01-02T18:00:00Z: daily snapshot",
			"2024-01-01T20:00:00Z: daily snapshot", "2024-01-01T08:00:00Z: oldest daily snapshot", "2024-01-02T09:00:00Z: -"),
	}, {
		// ISO weeks: Sunday 2021-01-03 and Thursday 2020-12-31 are both in
		// 2020-W53, Monday 2021-01-04 starts 2021-W01.
		name: "ISO weeks", policy: Policy{Weekly: 2},
		times: []string{"2021-01-04T12:00:00Z", "2021-01-03T12:00:00Z", "2020-12-31T12:00:00Z"},
		want:  lines("2021-01-04T12:00:00Z: weekly snapshot", "2021-01-03T12:00:00Z: weekly snapshot", "2020-12-31T12:00:00Z: -"),
	}, {
		name: "ISO weeks, oldest", policy: Policy{Weekly: 3},
		times: []string{"2021-01-04T12:00:00Z", "2021-01-03T12:00:00Z", "2020-12-31T12:00:00Z"},
		want: lines("2021-01-04T12:00:00Z: weekly snapshot", "2021-01-03T12:00:00Z: weekly snapshot",
			"2020-12-31T12:00:00Z: oldest weekly snapshot"),
	}, {
		// 12-31 starts December and 2023; 12-15 neither; 11-30 is the
		// second month; 2022 the second year; no counts left for 2021.
		name: "monthly and yearly", policy: Policy{Monthly: 2, Yearly: 2},
		times: []string{"2023-12-31T12:00:00Z", "2023-12-15T12:00:00Z", "2023-11-30T12:00:00Z", "2022-06-01T12:00:00Z", "2021-01-01T12:00:00Z"},
		want: lines("2023-12-31T12:00:00Z: monthly snapshot, yearly snapshot", "2023-11-30T12:00:00Z: monthly snapshot",
			"2022-06-01T12:00:00Z: yearly snapshot", "2023-12-15T12:00:00Z: -", "2021-01-01T12:00:00Z: -"),
	}, {
		name: "hourly", policy: Policy{Hourly: 3},
		times: []string{"2024-05-02T10:59:00Z", "2024-05-02T10:00:00Z", "2024-05-02T09:59:59Z", "2024-05-01T09:30:00Z", "2024-05-01T08:30:00Z"},
		want: lines("2024-05-02T10:59:00Z: hourly snapshot", "2024-05-02T09:59:59Z: hourly snapshot",
			"2024-05-01T09:30:00Z: hourly snapshot", "2024-05-02T10:00:00Z: -", "2024-05-01T08:30:00Z: -"),
	}, {
		// --keep-within is measured from the newest snapshot and exclusive
		// at its far end.
		name: "within", policy: Policy{Within: Duration{Days: 2}},
		times: []string{"2024-03-10T12:00:00Z", "2024-03-08T12:01:00Z", "2024-03-08T12:00:00Z", "2024-01-01T00:00:00Z"},
		want: lines("2024-03-10T12:00:00Z: within 2d", "2024-03-08T12:01:00Z: within 2d",
			"2024-03-08T12:00:00Z: -", "2024-01-01T00:00:00Z: -"),
	}, {
		// A month before 03-31 is 02-31, which Go (and so restic) makes
		// 03-02.
		name: "within a month from the 31st", policy: Policy{Within: Duration{Months: 1}},
		times: []string{"2024-03-31T12:00:00Z", "2024-03-02T12:01:00Z", "2024-03-02T12:00:00Z", "2024-03-01T12:00:00Z"},
		want: lines("2024-03-31T12:00:00Z: within 1m", "2024-03-02T12:01:00Z: within 1m",
			"2024-03-02T12:00:00Z: -", "2024-03-01T12:00:00Z: -"),
	}, {
		name: "within with every part", policy: Policy{Within: Duration{Years: 1, Months: 1, Days: 1, Hours: 1}},
		times: []string{"2024-03-10T12:00:00Z", "2023-02-09T11:00:01Z", "2023-02-09T11:00:00Z"},
		want:  lines("2024-03-10T12:00:00Z: within 1y1m1d1h", "2023-02-09T11:00:01Z: within 1y1m1d1h", "2023-02-09T11:00:00Z: -"),
	}, {
		// A snapshot in the future does not move the span (and is itself
		// within it).
		name: "within ignores the future", policy: Policy{Within: Duration{Days: 2}},
		times: []string{"2031-01-01T00:00:00Z", "2024-03-10T12:00:00Z", "2024-03-09T12:00:00Z", "2024-03-01T00:00:00Z"},
		want: lines("2031-01-01T00:00:00Z: within 2d", "2024-03-10T12:00:00Z: within 2d",
			"2024-03-09T12:00:00Z: within 2d", "2024-03-01T00:00:00Z: -"),
	}, {
		// Only future snapshots: the span is measured from the zero time
		// and holds them all.
		name: "within, all in the future", policy: Policy{Within: Duration{Hours: 1}},
		times: []string{"2031-01-01T00:00:00Z", "2030-06-01T00:00:00Z"},
		want:  lines("2031-01-01T00:00:00Z: within 1h", "2030-06-01T00:00:00Z: within 1h"),
	}, {
		// The span starts 03-07 18:00: one a day after it, nothing before.
		name: "within daily", policy: Policy{WithinDaily: Duration{Days: 3}},
		times: []string{"2024-03-10T18:00:00Z", "2024-03-10T08:00:00Z", "2024-03-09T12:00:00Z", "2024-03-08T20:00:00Z",
			"2024-03-08T07:00:00Z", "2024-03-07T19:00:00Z", "2024-03-07T17:00:00Z", "2024-03-01T00:00:00Z"},
		want: lines("2024-03-10T18:00:00Z: daily within 3d", "2024-03-09T12:00:00Z: daily within 3d",
			"2024-03-08T20:00:00Z: daily within 3d", "2024-03-07T19:00:00Z: daily within 3d",
			"2024-03-10T08:00:00Z: -", "2024-03-08T07:00:00Z: -", "2024-03-07T17:00:00Z: -", "2024-03-01T00:00:00Z: -"),
	}, {
		name: "within daily, oldest", policy: Policy{WithinDaily: Duration{Days: 30}},
		times: []string{"2024-03-10T18:00:00Z", "2024-03-10T08:00:00Z"},
		want:  lines("2024-03-10T18:00:00Z: daily within 30d", "2024-03-10T08:00:00Z: oldest daily within 30d"),
	}, {
		name: "within hourly, weekly, monthly, yearly",
		policy: Policy{WithinHourly: Duration{Hours: 2}, WithinWeekly: Duration{Days: 8},
			WithinMonthly: Duration{Months: 2}, WithinYearly: Duration{Years: 2}},
		times: []string{"2024-03-10T18:30:00Z", "2024-03-10T17:10:00Z", "2024-03-10T16:20:00Z",
			"2024-03-03T12:00:00Z", "2024-02-01T00:00:00Z", "2023-06-01T00:00:00Z", "2021-06-01T00:00:00Z"},
		// 18:30 starts everything; 17:10 is the second hour within 2h;
		// 16:20 is outside 2h (16:30) and in the same week, month and year;
		// 03-03 (Sunday) is the previous week, within 8d; 02-01 a new
		// month within 2m; 2023 a new year within 2y; 2021 is outside all.
		want: lines(
			"2024-03-10T18:30:00Z: hourly within 2h, weekly within 8d, monthly within 2m, yearly within 2y",
			"2024-03-10T17:10:00Z: hourly within 2h", "2024-03-03T12:00:00Z: weekly within 8d",
			"2024-02-01T00:00:00Z: monthly within 2m", "2023-06-01T00:00:00Z: yearly within 2y",
			"2024-03-10T16:20:00Z: -", "2021-06-01T00:00:00Z: -"),
	}, {
		// Snapshot times are bucketed in the zone they were written in:
		// 00:30+02:00 is on 01-02 although it is 22:30 on 01-01 in UTC.
		name: "periods in the snapshot's zone", policy: Policy{Daily: 2},
		times: []string{"2024-01-01T23:30:00Z", "2024-01-02T00:30:00+02:00", "2024-01-01T21:00:00Z"},
		want: lines("2024-01-01T23:30:00Z: daily snapshot", "2024-01-02T00:30:00+02:00: daily snapshot",
			"2024-01-01T21:00:00Z: -"),
	}} {
		t.Run(c.name, func(t *testing.T) {
			if got := describe(c.policy.Apply(snaps(t, c.times...), testNow)); got != c.want {
				t.Errorf("%v:\ngot\n%s\nwant\n%s", c.policy, got, c.want)
			}
		})
	}
}

// TestApplyReasons checks the order of reasons (tags, within, counts,
// within periods) and counts used up by tagged snapshots.
func TestApplyReasons(t *testing.T) {
	sns := []*repo.Snapshot{
		snap(t, "2024-05-02T10:30:00Z", "a"),
		snap(t, "2024-05-02T10:10:00Z"),
		snap(t, "2024-05-02T09:50:00Z", "a", "b"),
		snap(t, "2024-05-01T23:00:00Z"),
	}
	p := Policy{Last: 1, Hourly: 2, Daily: 1, Tags: []TagList{{"a"}, {"b", "a"}},
		Within: Duration{Hours: 1}, WithinDaily: Duration{Days: 1}}
	want := lines(
		"2024-05-02T10:30:00Z: has tags [a], within 1h, last snapshot, hourly snapshot, daily snapshot, daily within 1d",
		"2024-05-02T10:10:00Z: within 1h",
		"2024-05-02T09:50:00Z: has tags [a], has tags [b, a], within 1h, hourly snapshot",
		"2024-05-01T23:00:00Z: daily within 1d",
	)
	if got := describe(p.Apply(sns, testNow)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestApplyTags(t *testing.T) {
	sns := []*repo.Snapshot{
		snap(t, "2024-01-03T00:00:00Z", "x"),
		snap(t, "2024-01-02T00:00:00Z"),
		snap(t, "2024-01-01T00:00:00Z", "x", "y"),
	}
	for _, c := range []struct {
		tags []TagList
		want string
	}{
		{[]TagList{ParseTagList("")}, lines("2024-01-02T00:00:00Z: has tags []", "2024-01-03T00:00:00Z: -", "2024-01-01T00:00:00Z: -")},
		{[]TagList{ParseTagList("x, y")}, lines("2024-01-01T00:00:00Z: has tags [x, y]", "2024-01-03T00:00:00Z: -", "2024-01-02T00:00:00Z: -")},
		{[]TagList{{"y"}, {"x"}}, lines("2024-01-03T00:00:00Z: has tags [x]", "2024-01-01T00:00:00Z: has tags [y], has tags [x]",
			"2024-01-02T00:00:00Z: -")},
		{[]TagList{{"z"}}, lines("2024-01-03T00:00:00Z: -", "2024-01-02T00:00:00Z: -", "2024-01-01T00:00:00Z: -")},
	} {
		if got := describe(Policy{Tags: c.tags}.Apply(sns, testNow)); got != c.want {
			t.Errorf("keep tags %v:\ngot\n%s\nwant\n%s", c.tags, got, c.want)
		}
	}
}

func TestTagListMatch(t *testing.T) {
	tagged, untagged := &repo.Snapshot{Tags: []string{"x"}}, &repo.Snapshot{}
	for _, c := range []struct {
		l                TagList
		tagged, untagged bool
	}{
		{TagList{""}, false, true},
		{TagList{"x"}, true, false},
		{TagList{"x", ""}, false, false}, // "" matches only when reached on an untagged snapshot
		{TagList{"", "x"}, false, true},
		{TagList{}, true, true},
	} {
		if got := c.l.Match(tagged); got != c.tagged {
			t.Errorf("%v on [x]: %v", c.l, got)
		}
		if got := c.l.Match(untagged); got != c.untagged {
			t.Errorf("%v on untagged: %v", c.l, got)
		}
	}
	if got := ParseTagList(" a ,b,"); len(got) != 3 || got[0] != "a" || got[1] != "b" || got[2] != "" {
		t.Errorf("ParseTagList: %q", got)
	}
}

func TestApplyEdges(t *testing.T) {
	if d := (Policy{Last: 1}).Apply(nil, testNow); len(d.Keep)+len(d.Remove) != 0 {
		t.Errorf("no snapshots: %+v", d)
	}
	// Equal times keep their input order; the input is not reordered.
	sns := []*repo.Snapshot{snap(t, "2024-01-01T00:00:00Z", "first"), snap(t, "2024-01-01T00:00:00Z", "second"),
		snap(t, "2025-01-01T00:00:00Z")}
	d := Policy{Last: 2}.Apply(sns, testNow)
	if d.Keep[1].Snapshot != sns[0] || d.Remove[0] != sns[1] || sns[2].Time.Year() != 2025 {
		t.Errorf("ties: %s", describe(d))
	}
	// An empty policy keeps nothing (forget refuses it before applying).
	if d := (Policy{}).Apply(sns, testNow); len(d.Keep) != 0 || len(d.Remove) != 3 {
		t.Errorf("empty policy: %s", describe(d))
	}
	// The now passed decides what is in the future.
	p := Policy{Within: Duration{Days: 1}}
	late := snaps(t, "2024-06-01T00:00:00Z", "2024-01-01T00:00:00Z")
	if got := describe(p.Apply(late, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))); got !=
		lines("2024-06-01T00:00:00Z: within 1d", "2024-01-01T00:00:00Z: within 1d") {
		t.Errorf("now before the newest:\n%s", got)
	}
}
