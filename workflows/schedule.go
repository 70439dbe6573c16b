package workflows

import (
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

// CairnKind values of schedules: the Temporal Schedule of a backup schedule,
// and the ScheduledBackup workflows it starts (the backups they run are of
// kind backup).
const (
	KindSchedule        = "schedule"
	KindScheduledBackup = "scheduled-backup"
)

// ScheduleID is the Temporal Schedule ID of schedule name.
func ScheduleID(name string) string { return "schedule/" + name }

// ScheduledBackupID is the workflow ID a schedule gives its ScheduledBackup
// workflows; Temporal appends "-<scheduled time>" to it.
func ScheduledBackupID(name string) string { return "scheduled-backup/" + name }

// ScheduledBackupName is the name of the backup schedule takes at time t,
// as Velero names it: <schedule>-<YYYYMMDDhhmmss>, in UTC.
func ScheduledBackupName(schedule string, t time.Time) string {
	return schedule + "-" + t.UTC().Format("20060102150405")
}

// ScheduledBackupInput is the action of a schedule (Temporal Schedule ID
// ScheduleID(Schedule), action workflow ID ScheduledBackupID(Schedule)):
// its name and the spec of the backups it takes.
type ScheduledBackupInput struct {
	// Schedule is the schedule's name; its backups are named
	// <schedule>-<YYYYMMDDhhmmss>.
	Schedule string
	// Spec is what each backup backs up.
	Spec activities.BackupSpec
	// Cron is the schedule's cron expression as written (Velero's
	// spec.schedule), which Temporal does not keep in that form: describing
	// the schedule reads it here. The workflow does not use it.
	Cron string `json:",omitempty"`
}

// attrScheduledStartTime is the system search attribute Temporal sets on a
// workflow a schedule starts: the action's nominal time.
var attrScheduledStartTime = temporal.NewSearchAttributeKeyTime("TemporalScheduledStartTime")

// ScheduledBackup runs one action of a schedule: it names the backup after
// the action's scheduled time and runs the Backup workflow as a child with
// ID backup/<name>, tagged with CairnSchedule, and returns its result. The
// child outlives this workflow if it is terminated. A second action at the
// same second fails, since the name is taken.
func ScheduledBackup(ctx workflow.Context, in ScheduledBackupInput) (BackupResult, error) {
	_ = workflow.UpsertTypedSearchAttributes(ctx, AttrKind.ValueSet(KindScheduledBackup), AttrSchedule.ValueSet(in.Schedule))
	name := ScheduledBackupName(in.Schedule, scheduledTime(ctx))
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            clusterOf(ctx).Scope(BackupID(name)),
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		TypedSearchAttributes: ClusterAttrs(clusterOf(ctx),
			AttrKind.ValueSet(KindBackup), AttrName.ValueSet(name), AttrPhase.ValueSet(PhaseNew),
			AttrSchedule.ValueSet(in.Schedule)),
		StaticSummary: BackupSummary(name, in.Spec) + " (schedule " + in.Schedule + ")",
		StaticDetails: BackupDetails(name, in.Schedule, in.Spec),
	})
	res := BackupResult{Name: name, Spec: in.Spec, Phase: PhaseNew}
	err := workflow.ExecuteChildWorkflow(cctx, Backup, BackupInput{Name: name, Spec: in.Spec}).Get(ctx, &res)
	if err != nil {
		ResultOf(err, &res)
	}
	return res, err
}

// scheduledTime is the nominal time of the schedule action that started
// this workflow: the TemporalScheduledStartTime search attribute, else the
// time Temporal appended to the workflow ID, else the workflow's start.
func scheduledTime(ctx workflow.Context) time.Time {
	if t, ok := workflow.GetTypedSearchAttributes(ctx).GetTime(attrScheduledStartTime); ok && !t.IsZero() {
		return t
	}
	info := workflow.GetInfo(ctx)
	id := info.WorkflowExecution.ID
	const stamp = len("2006-01-02T15:04:05Z")
	if n := len(id); n > stamp && id[n-stamp-1] == '-' {
		if t, err := time.Parse(time.RFC3339, id[n-stamp:]); err == nil {
			return t
		}
	}
	return info.WorkflowStartTime
}
