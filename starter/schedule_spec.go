package starter

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// MaxScheduleNameLength keeps <schedule>-<YYYYMMDDhhmmss>, the names of a
// schedule's backups, within a DNS-1123 label's 63 characters.
const MaxScheduleNameLength = validation.DNS1123LabelMaxLength - len("-20060102150405")

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

// Validate checks a schedule before anything is created: its name, its
// cron expression, its backups' TTL and label selectors.
func (r ScheduleRequest) Validate() error {
	var problems []string
	if err := ValidateScheduleName(r.Name); err != nil {
		problems = append(problems, err.Error())
	}
	if err := ValidateCron(r.Cron); err != nil {
		problems = append(problems, err.Error())
	}
	if _, err := activities.ParseTTL(r.Spec.TTL); err != nil {
		problems = append(problems, err.Error())
	}
	if r.Spec.LabelSelector != "" && len(r.Spec.OrLabelSelectors) > 0 {
		problems = append(problems, "a label selector (--selector) and or-selectors (--or-selector) cannot be combined")
	}
	for _, s := range append([]string{r.Spec.LabelSelector}, r.Spec.OrLabelSelectors...) {
		if _, err := metadata.SelectorFor(s); err != nil {
			problems = append(problems, fmt.Sprintf("selector %q: %v", s, err))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("invalid schedule: %s", strings.Join(problems, "; "))
	}
	return nil
}

// ValidateScheduleName checks that name is a DNS-1123 label short enough
// for the names of its backups.
func ValidateScheduleName(name string) error {
	if p := validation.IsDNS1123Label(name); len(p) > 0 {
		return fmt.Errorf("name %q: %s", name, strings.Join(p, "; "))
	}
	if len(name) > MaxScheduleNameLength {
		return fmt.Errorf("name %q: at most %d characters, so that its backups' names (<schedule>-<YYYYMMDDhhmmss>) are valid", name, MaxScheduleNameLength)
	}
	return nil
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
		return fmt.Errorf(`schedule %q: %v; use five fields "minute hour day-of-month month day-of-week" in UTC (such as "0 */6 * * *"), `+
			`a descriptor such as @daily or "@every 6h", optionally after "CRON_TZ=Europe/Paris "`, spec, err)
	}
	rest := strings.TrimSpace(spec)
	if strings.HasPrefix(rest, "TZ=") || strings.HasPrefix(rest, "CRON_TZ=") {
		_, rest, _ = strings.Cut(rest, " ")
		rest = strings.TrimSpace(rest)
	}
	if d, ok := strings.CutPrefix(rest, "@every "); ok {
		every, err := time.ParseDuration(strings.TrimSpace(d))
		if err != nil || every < time.Second {
			return fmt.Errorf("schedule %q: @every takes a duration of at least 1s, such as @every 6h", spec)
		}
	}
	return nil
}
