package forget

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDuration(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Duration
	}{
		{"1y5m7d2h", Duration{Years: 1, Months: 5, Days: 7, Hours: 2}},
		{"2h1y", Duration{Years: 1, Hours: 2}},
		{" 7d ", Duration{Days: 7}},
		{"", Duration{}},
		{"1d2d", Duration{Days: 2}},
		{"-1d", Duration{Days: -1}},
		{"0y", Duration{}},
		{"36m", Duration{Months: 36}},
	} {
		got, err := ParseDuration(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseDuration(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"5", "d", "1w", "1d 2h", "--1d", "-", "1.5d", "99999999999999999999d", "1D"} {
		if d, err := ParseDuration(in); err == nil || !strings.Contains(err.Error(), "1y5m7d2h") {
			t.Errorf("ParseDuration(%q) = %+v, %v; want an error showing the format", in, d, err)
		}
	}
}

func TestDurationString(t *testing.T) {
	for d, want := range map[Duration]string{
		{Years: 1, Months: 5, Days: 7, Hours: 2}: "1y5m7d2h",
		{Days: 7}:                                "7d",
		{Hours: 30}:                              "30h",
		{}:                                       "",
	} {
		if got := d.String(); got != want {
			t.Errorf("%+v: %q, want %q", d, got, want)
		}
	}
}

func TestParseCount(t *testing.T) {
	for in, want := range map[string]int{"0": 0, "7": 7, "unlimited": Unlimited, "-1": Unlimited} {
		if got, err := ParseCount(in); err != nil || got != want {
			t.Errorf("ParseCount(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"-2", "x", "", "1.5", "Unlimited"} {
		if _, err := ParseCount(in); err == nil || !strings.Contains(err.Error(), "unlimited") {
			t.Errorf("ParseCount(%q): %v", in, err)
		}
	}
	if FormatCount(Unlimited) != "unlimited" || FormatCount(3) != "3" {
		t.Error("FormatCount")
	}
}

func TestPolicyValidate(t *testing.T) {
	for _, p := range []Policy{{Last: Unlimited}, {}, {Daily: 3, Within: Duration{Days: 1}}} {
		if err := p.Validate(); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
	}
	for p, want := range map[*Policy]string{
		{Last: -2}:                                  "keep-last -2",
		{Yearly: -5}:                                "keep-yearly -5",
		{WithinWeekly: Duration{Days: -1}}:          "keep-within-weekly -1d",
		{Within: Duration{Years: 1, Hours: -1}}:     "keep-within 1y-1h",
		{WithinMonthly: Duration{Months: -3}}:       "keep-within-monthly",
		{WithinHourly: Duration{Hours: -1}}:         "keep-within-hourly",
		{WithinDaily: Duration{Days: 1, Hours: -1}}: "keep-within-daily",
	} {
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: %v; want an error naming %q", *p, err, want)
		}
	}
}

func TestPolicyEmpty(t *testing.T) {
	if !(Policy{}).Empty() || !(Policy{Tags: []TagList{}}).Empty() {
		t.Error("the zero policy is not empty")
	}
	for _, p := range []Policy{{Last: 1}, {Yearly: Unlimited}, {Tags: []TagList{{""}}}, {WithinYearly: Duration{Hours: 1}}, {Monthly: -2}} {
		if p.Empty() {
			t.Errorf("%+v is empty", p)
		}
	}
	if ErrEmptyPolicy.Error() != "no policy was specified, no snapshots will be removed" {
		t.Error(ErrEmptyPolicy)
	}
	if !errors.Is(Options{}.Validate(), ErrEmptyPolicy) {
		t.Error("Options with an empty policy pass")
	}
}

// The descriptions are those of restic 0.18.1's ExpirePolicy.String.
func TestPolicyString(t *testing.T) {
	for _, c := range []struct {
		p    Policy
		want string
	}{
		{Policy{}, "remove"},
		{Policy{Last: 2}, "keep 2 latest snapshots"},
		{Policy{Daily: 7, Weekly: 4, Monthly: 12, Yearly: Unlimited}, "keep 7 daily, 4 weekly, 12 monthly, all yearly snapshots"},
		{Policy{Hourly: 1, WithinDaily: Duration{Days: 7}, WithinWeekly: Duration{Months: 1}},
			"keep 1 hourly snapshots, daily snapshots within 7d, weekly snapshots within 1m"},
		{Policy{WithinHourly: Duration{Hours: 5}, WithinMonthly: Duration{Years: 1}, WithinYearly: Duration{Years: 75}},
			"keep hourly snapshots within 5h, monthly snapshots within 1y, yearly snapshots within 75y"},
		{Policy{Last: 1, Tags: []TagList{{"a", "b"}, {"c"}}, Within: Duration{Days: 2, Hours: 3}},
			"keep 1 latest snapshots and all snapshots with tags [[a, b] [c]] and all snapshots within 2d3h of the newest"},
		{Policy{Within: Duration{Years: 1}}, "keep all snapshots within 1y of the newest"},
		{Policy{Tags: []TagList{{""}}}, "keep all snapshots with tags [[]]"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("%+v:\n got %q\nwant %q", c.p, got, c.want)
		}
	}
}
