package cli

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/cairn-backup/cairn/repo/forget"
)

// addPolicyFlags adds restic's --keep-* flags, which fill p.
func addPolicyFlags(fl *pflag.FlagSet, p *forget.Policy) {
	for _, c := range []struct {
		n           *int
		name, short string
		what        string
	}{
		{&p.Last, "keep-last", "l", "snapshots"},
		{&p.Hourly, "keep-hourly", "H", "hourly snapshots"},
		{&p.Daily, "keep-daily", "d", "daily snapshots"},
		{&p.Weekly, "keep-weekly", "w", "weekly snapshots"},
		{&p.Monthly, "keep-monthly", "m", "monthly snapshots"},
		{&p.Yearly, "keep-yearly", "y", "yearly snapshots"},
	} {
		fl.VarP(countFlag{c.n}, c.name, c.short, "keep the last `n` "+c.what+" (unlimited keeps all of them)")
	}
	for _, c := range []struct {
		d          *forget.Duration
		name, what string
	}{
		{&p.Within, "keep-within", "snapshots"},
		{&p.WithinHourly, "keep-within-hourly", "hourly snapshots"},
		{&p.WithinDaily, "keep-within-daily", "daily snapshots"},
		{&p.WithinWeekly, "keep-within-weekly", "weekly snapshots"},
		{&p.WithinMonthly, "keep-within-monthly", "monthly snapshots"},
		{&p.WithinYearly, "keep-within-yearly", "yearly snapshots"},
	} {
		fl.Var(durationFlag{c.d}, c.name, "keep "+c.what+" newer than `duration` (like 1y5m7d2h) before the newest snapshot")
	}
	fl.Var(tagListsFlag{&p.Tags}, "keep-tag", "keep snapshots that have all tags of this comma-separated `taglist` (repeatable; '' keeps untagged ones)")
}

// countFlag is a --keep-<period> count: a number or "unlimited".
type countFlag struct{ n *int }

func (f countFlag) Set(s string) (err error) {
	*f.n, err = forget.ParseCount(s)
	return err
}

func (f countFlag) String() string { return forget.FormatCount(*f.n) }
func (countFlag) Type() string     { return "n" }

// durationFlag is a --keep-within* duration in restic's format.
type durationFlag struct{ d *forget.Duration }

func (f durationFlag) Set(s string) (err error) {
	*f.d, err = forget.ParseDuration(s)
	return err
}

func (f durationFlag) String() string { return f.d.String() }
func (durationFlag) Type() string     { return "duration" }

// tagListsFlag collects --keep-tag values, one tag list each.
type tagListsFlag struct{ l *[]forget.TagList }

func (f tagListsFlag) Set(s string) error {
	*f.l = append(*f.l, forget.ParseTagList(s))
	return nil
}

func (f tagListsFlag) String() string {
	var parts []string
	for _, l := range *f.l {
		parts = append(parts, strings.Join(l, ","))
	}
	return strings.Join(parts, " ")
}

func (tagListsFlag) Type() string { return "taglist" }
