package starter

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/workflows"
)

// memoCron is the schedule memo field that keeps the cron expression as the
// user gave it (Temporal turns it into calendars).
const memoCron = "cron"

// recentBackups is how many of a schedule's backups Describe returns.
const recentBackups = 10

// Schedule is a backup schedule's settings and state.
type Schedule struct {
	Name string
	// Cron is the expression the schedule was created with.
	Cron   string
	Spec   activities.BackupSpec
	Paused bool
	Note   string `json:",omitempty"`
	// Created is when the schedule was created.
	Created time.Time `json:",omitzero"`
	// LastBackup is when it last started a backup (schedule, trigger or
	// backfill).
	LastBackup time.Time `json:",omitzero"`
	// NextRuns are the times of its next actions (none while paused).
	NextRuns []time.Time `json:",omitempty"`
	// Running counts the ScheduledBackup workflows running.
	Running int
	// Backups are its latest backups that Temporal knows, newest first.
	Backups []ScheduledBackup `json:",omitempty"`
}

// ScheduledBackup is one backup a schedule took.
type ScheduledBackup struct {
	Name    string
	Phase   string
	Started time.Time `json:",omitzero"`
}

// CreateSchedule validates r, then creates its Temporal Schedule: r.Cron,
// overlapping actions skipped, each action a ScheduledBackup workflow that
// backs up as r.Spec says under the name <schedule>-<YYYYMMDDhhmmss>. A
// name in use is an error wrapping ErrExists. With c.Locations set, the
// storage location must exist.
func (c *Client) CreateSchedule(ctx context.Context, r ScheduleRequest) error {
	r, err := c.prepareSchedule(ctx, r)
	if err != nil {
		return err
	}
	_, err = c.Temporal.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:      c.scoped(workflows.ScheduleID(r.Name)),
		Spec:    client.ScheduleSpec{CronExpressions: []string{r.Cron}},
		Action:  c.scheduleAction(r),
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		Paused:  r.Paused,
		Memo:    map[string]any{memoCron: r.Cron},
		TypedSearchAttributes: c.attrs(
			workflows.AttrKind.ValueSet(workflows.KindSchedule), workflows.AttrName.ValueSet(r.Name)),
	})
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return fmt.Errorf("schedule %q: %w", r.Name, ErrExists)
	}
	if err != nil {
		return fmt.Errorf("creating schedule %s: %w", r.Name, err)
	}
	return nil
}

// prepareSchedule validates r and, with c.Locations, its storage
// location, and labels its backups with its name, as Velero does.
func (c *Client) prepareSchedule(ctx context.Context, r ScheduleRequest) (ScheduleRequest, error) {
	if err := r.Validate(); err != nil {
		return r, err
	}
	r.Spec.Labels = merged(r.Spec.Labels, map[string]string{velerov1.ScheduleNameLabel: r.Name})
	if c.Locations != nil {
		if _, err := c.Locations.Resolve(ctx, r.Spec.StorageLocation); err != nil {
			return r, fmt.Errorf("%w: %w", ErrInvalidSchedule, err)
		}
	}
	return r, nil
}

// scheduleAction is the action of schedule r: a ScheduledBackup workflow
// with r's spec.
func (c *Client) scheduleAction(r ScheduleRequest) *client.ScheduleWorkflowAction {
	return &client.ScheduleWorkflowAction{
		ID: c.scoped(workflows.ScheduledBackupID(r.Name)), Workflow: workflows.ScheduledBackup, TaskQueue: c.taskQueue(),
		Args:          []any{workflows.ScheduledBackupInput{Schedule: r.Name, Spec: r.Spec, Cron: r.Cron}},
		StaticSummary: workflows.ScheduleSummary(r.Name, r.Cron, r.Spec),
		TypedSearchAttributes: c.attrs(
			workflows.AttrKind.ValueSet(workflows.KindScheduledBackup), workflows.AttrSchedule.ValueSet(r.Name)),
	}
}

// UpdateSchedule gives schedule r.Name the cron and backup spec of r, as
// editing a Velero Schedule's spec does; its paused state, recent actions
// and backups stay. r is validated as CreateSchedule validates it; an
// unknown name wraps ErrNotFound.
func (c *Client) UpdateSchedule(ctx context.Context, r ScheduleRequest) error {
	r, err := c.prepareSchedule(ctx, r)
	if err != nil {
		return err
	}
	err = c.scheduleHandle(ctx, r.Name).Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			s := in.Description.Schedule
			s.Spec = &client.ScheduleSpec{CronExpressions: []string{r.Cron}}
			s.Action = c.scheduleAction(r)
			return &client.ScheduleUpdate{Schedule: &s}, nil
		},
	})
	return scheduleNotFound(r.Name, err)
}

// DescribeSchedule returns schedule name's settings, state and latest
// backups; an unknown name wraps ErrNotFound.
func (c *Client) DescribeSchedule(ctx context.Context, name string) (Schedule, error) {
	s := Schedule{Name: name}
	d, err := c.scheduleHandle(ctx, name).Describe(ctx)
	if err != nil {
		return s, scheduleNotFound(name, err)
	}
	if a, ok := d.Schedule.Action.(*client.ScheduleWorkflowAction); ok && len(a.Args) == 1 {
		var in workflows.ScheduledBackupInput
		if p, ok := a.Args[0].(*commonpb.Payload); ok && converter.GetDefaultDataConverter().FromPayload(p, &in) == nil {
			s.Spec, s.Cron = in.Spec, in.Cron
		}
	}
	if p := d.Memo.GetFields()[memoCron]; p != nil && s.Cron == "" { // schedules made before the input kept it
		_ = converter.GetDefaultDataConverter().FromPayload(p, &s.Cron)
	}
	if st := d.Schedule.State; st != nil {
		s.Paused, s.Note = st.Paused, st.Note
	}
	s.Created, s.Running = d.Info.CreatedAt, len(d.Info.RunningWorkflows)
	for _, a := range d.Info.RecentActions {
		if a.ActualTime.After(s.LastBackup) {
			s.LastBackup = a.ActualTime
		}
	}
	if !s.Paused {
		s.NextRuns = d.Info.NextActionTimes
	}
	s.Backups, err = c.scheduledBackups(ctx, name)
	return s, err
}

// scheduledBackups lists the latest backups of schedule name, newest
// first. (Temporal's SQL visibility store cannot sort, so it reads them
// all.)
func (c *Client) scheduledBackups(ctx context.Context, name string) ([]ScheduledBackup, error) {
	query := fmt.Sprintf("%s = '%s' AND %s = '%s'", workflows.AttrKind.GetName(), workflows.KindBackup,
		workflows.AttrSchedule.GetName(), name)
	var out []ScheduledBackup
	var token []byte
	for {
		resp, err := c.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: c.Cluster.Query(query), NextPageToken: token})
		if err != nil {
			return nil, fmt.Errorf("listing the backups of schedule %s: %w", name, err)
		}
		for _, e := range resp.GetExecutions() {
			id, _ := c.unscoped(e.GetExecution().GetWorkflowId())
			b := ScheduledBackup{Name: strings.TrimPrefix(id, workflows.BackupID("")), Started: e.GetStartTime().AsTime()}
			if p := e.GetSearchAttributes().GetIndexedFields()[workflows.AttrPhase.GetName()]; p != nil {
				_ = converter.GetDefaultDataConverter().FromPayload(p, &b.Phase)
			}
			out = append(out, b)
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			break
		}
	}
	slices.SortStableFunc(out, func(a, b ScheduledBackup) int { return b.Started.Compare(a.Started) })
	return out[:min(len(out), recentBackups)], nil
}

// LatestCompletedBackup names the newest Completed backup of schedule (or
// PartiallyFailed, with allowPartial), as Velero picks it for `restore
// create --from-schedule [--allow-partially-failed]`; an error wrapping
// ErrNotFound when the schedule has none.
func (c *Client) LatestCompletedBackup(ctx context.Context, schedule string, allowPartial bool) (string, error) {
	backups, err := c.scheduledBackups(ctx, schedule)
	if err != nil {
		return "", err
	}
	for _, b := range backups { // newest first
		if b.Phase == workflows.PhaseCompleted || allowPartial && b.Phase == workflows.PhasePartiallyFailed {
			return b.Name, nil
		}
	}
	return "", fmt.Errorf("schedule %q has no Completed backup to restore from: %w", schedule, ErrNotFound)
}

// ListSchedules returns every backup schedule. Temporal lists schedules
// from its visibility store, so one created a moment ago may be missing.
func (c *Client) ListSchedules(ctx context.Context) ([]Schedule, error) {
	names, err := c.ScheduleNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Schedule, 0, len(names))
	for _, name := range names {
		s, err := c.DescribeSchedule(ctx, name)
		if errors.Is(err, ErrNotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// PauseSchedule stops schedule name from taking actions until unpaused.
func (c *Client) PauseSchedule(ctx context.Context, name, note string) error {
	return scheduleNotFound(name, c.scheduleHandle(ctx, name).Pause(ctx, client.SchedulePauseOptions{Note: note}))
}

// UnpauseSchedule resumes schedule name.
func (c *Client) UnpauseSchedule(ctx context.Context, name, note string) error {
	return scheduleNotFound(name, c.scheduleHandle(ctx, name).Unpause(ctx, client.ScheduleUnpauseOptions{Note: note}))
}

// TriggerSchedule takes one action of schedule name now, even while
// another runs or the schedule is paused.
func (c *Client) TriggerSchedule(ctx context.Context, name string) error {
	return scheduleNotFound(name, c.scheduleHandle(ctx, name).Trigger(ctx,
		client.ScheduleTriggerOptions{Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL}))
}

// BackfillSchedule takes, one after another, the actions schedule name
// would have taken between from and to; each backup is named after its
// scheduled time.
func (c *Client) BackfillSchedule(ctx context.Context, name string, from, to time.Time) error {
	if !from.Before(to) {
		return fmt.Errorf("backfill of schedule %s: --from %s is not before --to %s", name, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	return scheduleNotFound(name, c.scheduleHandle(ctx, name).Backfill(ctx, client.ScheduleBackfillOptions{
		Backfill: []client.ScheduleBackfill{{Start: from, End: to, Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL}},
	}))
}

// DeleteSchedule removes schedule name; its backups stay.
func (c *Client) DeleteSchedule(ctx context.Context, name string) error {
	return scheduleNotFound(name, c.scheduleHandle(ctx, name).Delete(ctx))
}

// StartBackupFromSchedule starts a backup with schedule's spec now, as
// Velero's `backup create --from-schedule` does, and returns its name:
// name, or <schedule>-<YYYYMMDDhhmmss> of the current time when empty.
// Labels and annotations are added to the template's.
func (c *Client) StartBackupFromSchedule(ctx context.Context, schedule, name string, labels, annotations map[string]string) (string, error) {
	s, err := c.DescribeSchedule(ctx, schedule)
	if err != nil {
		return "", err
	}
	if name == "" {
		name = workflows.ScheduledBackupName(schedule, time.Now())
	}
	spec := s.Spec
	spec.Labels, spec.Annotations = merged(spec.Labels, labels), merged(spec.Annotations, annotations)
	return name, c.startBackup(ctx, workflows.BackupInput{Name: name, Spec: spec}, schedule)
}

// merged is m with the pairs of more added; nil when both are empty.
func merged(m, more map[string]string) map[string]string {
	if len(more) == 0 {
		return m
	}
	out := maps.Clone(m)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, more)
	return out
}

func (c *Client) scheduleHandle(ctx context.Context, name string) client.ScheduleHandle {
	return c.Temporal.ScheduleClient().GetHandle(ctx, c.scoped(workflows.ScheduleID(name)))
}

// scheduleNotFound wraps ErrNotFound into the error of a missing schedule.
func scheduleNotFound(name string, err error) error {
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return fmt.Errorf("schedule %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("schedule %s: %w", name, err)
	}
	return nil
}
