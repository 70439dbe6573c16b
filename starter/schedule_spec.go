package starter

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cairn-backup/cairn/activities"
)

// MaxScheduleNameLength keeps <schedule>-<YYYYMMDDhhmmss>, the names of a
// schedule's backups, within the 63 characters of a backup name.
const MaxScheduleNameLength = activities.MaxNameLength - len("-20060102150405")

// ErrInvalidSchedule is wrapped by the errors of a schedule that cannot be
// created as asked: its name, cron, template or location.
var ErrInvalidSchedule = errors.New("invalid schedule")

// ScheduleRequest creates a backup schedule.
type ScheduleRequest struct {
	Name string
	// Cron is when to back up, as Velero's --schedule takes it: five cron
	// fields in UTC ("0 */6 * * *"), a descriptor ("@daily", "@every 6h"),
	// either one after "CRON_TZ=<zone> " for another time zone.
	Cron string
	// Spec is the template of the schedule's backups.
	Spec activities.BackupSpec
	// Paused creates the schedule paused.
	Paused bool
}

// Validate checks a schedule before anything is created, as Problems
// does; every problem is in the error.
func (r ScheduleRequest) Validate() error {
	if errs := r.Problems(); len(errs) > 0 {
		return fmt.Errorf("%w: %v", ErrInvalidSchedule, errs.ToAggregate())
	}
	return nil
}

// Problems lists what is wrong with a schedule: its name (at Name), its
// cron expression (at Cron) and its backups' spec, as a backup's is
// checked (at Spec).
func (r ScheduleRequest) Problems() field.ErrorList {
	errs := checkScheduleName(r.Name)
	if err := ValidateCron(r.Cron); strings.TrimSpace(r.Cron) == "" {
		errs = append(errs, field.Required(field.NewPath("Cron"), err.Error()))
	} else if err != nil {
		errs = append(errs, field.Invalid(field.NewPath("Cron"), r.Cron, err.Error()))
	}
	return append(errs, activities.CheckBackupSpec(r.Spec)...)
}

// ValidateScheduleName checks that name is a valid name, short enough for
// the names of its backups.
func ValidateScheduleName(name string) error {
	return checkScheduleName(name).ToAggregate()
}

func checkScheduleName(name string) field.ErrorList {
	return activities.CheckName(field.NewPath("Name"), name, MaxScheduleNameLength,
		"its backups are named <schedule>-<YYYYMMDDhhmmss>, within the 63 characters of a backup name")
}

// ValidateCron checks a cron expression as Velero parses it (robfig/cron's
// standard parser): five fields, a descriptor such as @daily or
// @every 1h, and an optional CRON_TZ=<zone> prefix. @every takes at least
// one second.
func ValidateCron(spec string) error {
	if strings.TrimSpace(spec) == "" {
		return errors.New(`a schedule is required: pass --schedule with a cron expression such as "0 */6 * * *" or "@every 6h"`)
	}
	if _, err := cron.ParseStandard(spec); err != nil {
		return fmt.Errorf(`%v; use five fields "minute hour day-of-month month day-of-week" in UTC (such as "0 */6 * * *"), `+
			`a descriptor such as @daily or "@every 6h", optionally after "CRON_TZ=Europe/Paris "`, err)
	}
	rest := strings.TrimSpace(spec)
	if strings.HasPrefix(rest, "TZ=") || strings.HasPrefix(rest, "CRON_TZ=") {
		_, rest, _ = strings.Cut(rest, " ")
		rest = strings.TrimSpace(rest)
	}
	if d, ok := strings.CutPrefix(rest, "@every "); ok {
		every, err := time.ParseDuration(strings.TrimSpace(d))
		if err != nil || every < time.Second {
			return errors.New("@every takes a duration of at least 1s, such as @every 6h")
		}
	}
	return nil
}
