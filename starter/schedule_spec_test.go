package starter_test

import (
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/starter"
)

func TestValidateCron(t *testing.T) {
	for _, ok := range []string{
		"0 */6 * * *", "@every 1h", "@every 2s", "@daily", "CRON_TZ=Europe/Paris 0 1 * * *", "TZ=UTC @hourly",
		"30 2 * * MON-FRI", "0 0 1 JAN *",
	} {
		if err := starter.ValidateCron(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for spec, want := range map[string]string{
		"":                               "a schedule is required",
		"0 */6 * *":                      "use five fields",
		"0 0 0 * * *":                    "use five fields", // six fields: Velero takes five
		"61 * * * *":                     "use five fields",
		"@every 500ms":                   "at least 1s",
		"@every often":                   "use five fields",
		"CRON_TZ=Mars/Olympus 0 1 * * *": "use five fields",
	} {
		err := starter.ValidateCron(spec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", spec, err, want)
		}
	}
}

func TestValidateScheduleName(t *testing.T) {
	if err := starter.ValidateScheduleName("nginx-daily"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"", "Nginx", "nginx_daily", "-x", strings.Repeat("a", starter.MaxScheduleNameLength+1)} {
		if err := starter.ValidateScheduleName(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := starter.ValidateScheduleName(strings.Repeat("a", starter.MaxScheduleNameLength)); err != nil {
		t.Errorf("the longest name: %v", err)
	}
}

func TestScheduleRequestValidateListsEveryProblem(t *testing.T) {
	err := starter.ScheduleRequest{Name: "Bad", Cron: "every day", Spec: activities.BackupSpec{
		TTL: "forever", LabelSelector: "app=a", OrLabelSelectors: []string{"app in (b"},
	}}.Validate()
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"invalid schedule:", `Name: Invalid value: "Bad"`, `Cron: Invalid value: "every day"`,
		`Spec.TTL: Invalid value: "forever": not a duration`, "cannot be combined", `Spec.OrLabelSelectors: Invalid value: "app in (b"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if err := (starter.ScheduleRequest{Name: "ok", Cron: "@every 1h", Spec: activities.BackupSpec{TTL: "5s"}}).Validate(); err != nil {
		t.Error(err)
	}
}
