package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// BackupInput starts a backup: the input of the Backup workflow, whose
// workflow ID is BackupID(Name) ("backup/<name>") on task queue TaskQueue.
type BackupInput struct {
	// Name is the backup's name, a DNS-1123 label unique in its location.
	Name string
	// Spec is what to back up, as Velero's `backup create` flags say it.
	Spec activities.BackupSpec
	// NodeAgentTimeout bounds the wait for a node agent to take a pod
	// volume (DefaultNodeAgentTimeout when zero).
	NodeAgentTimeout time.Duration `json:",omitempty"`
}

// BackupResult is a backup's state: what the progress query returns while it
// runs, and its outcome. A Failed or FailedValidation backup fails the
// workflow with an application error whose type is the phase and whose
// details are the result (see ResultOf).
type BackupResult struct {
	Name            string
	Spec            activities.BackupSpec
	Phase           string
	StorageLocation string        `json:",omitempty"`
	TTL             time.Duration `json:",omitempty"`
	SnapshotID      string        `json:",omitempty"`
	Items           int
	Errors          int
	Warnings        int
	// ResourceBytes is the size of the backed-up objects' JSON.
	ResourceBytes uint64    `json:",omitempty"`
	FailureReason string    `json:",omitempty"`
	Started       time.Time `json:",omitzero"`
	Completed     time.Time `json:",omitzero"`
	Expiration    time.Time `json:",omitzero"`
	// PodVolumeBackups are the pod volumes asked for: InProgress while
	// their agents work, then Completed, Failed or Skipped.
	PodVolumeBackups []metadata.PodVolumeBackup `json:",omitempty"`
	// Hooks are the exec hooks run, with their outcomes.
	Hooks []metadata.HookResult `json:",omitempty"`
	// Dumps are the application dumps taken.
	Dumps []metadata.PodDump `json:",omitempty"`
	// Waiting names the repository lock the backup waits for, if any.
	Waiting string `json:",omitempty"`
}

func (st *BackupResult) waitingFor(holder string) { st.Waiting = holder }

// Backup validates a backup, resolves its storage location and backs up the
// selected resources. It upserts CairnKind, CairnName, CairnPhase and
// CairnStorageLocation as it goes and answers ProgressQuery with its state.
// Pod volumes go first, each to the agent of its pod's node, all at once,
// wrapped in their pods' pre and post exec hooks by item block (pods that
// share a claim), with the pods' application dumps beside them; the
// resource backup then stores their outcomes with the record, so a failed
// volume, dump or Fail hook makes the backup PartiallyFailed. A step whose repository is
// locked (a maintenance) waits for it on a durable timer.
func Backup(ctx workflow.Context, in BackupInput) (BackupResult, error) {
	st := BackupResult{Name: in.Name, Spec: in.Spec, Phase: PhaseNew, StorageLocation: in.Spec.StorageLocation, Started: workflow.Now(ctx)}
	if err := workflow.SetQueryHandler(ctx, ProgressQuery, func() (BackupResult, error) { return st, nil }); err != nil {
		return st, err
	}
	setPhase := func(phase string) {
		st.Phase = phase
		_ = workflow.UpsertTypedSearchAttributes(ctx,
			AttrKind.ValueSet(KindBackup), AttrName.ValueSet(in.Name), AttrPhase.ValueSet(phase),
			AttrStorageLocation.ValueSet(st.StorageLocation))
	}
	fail := func(phase string, err error) (BackupResult, error) {
		st.FailureReason = reason(err)
		st.Completed = workflow.Now(ctx)
		setPhase(phase)
		return st, failure(phase, st.FailureReason, st)
	}
	setPhase(PhaseNew)

	var a *activities.Resources
	var plan activities.ValidateBackupResult
	if err := workflow.ExecuteActivity(withSummary(validateOptions(ctx), "validate backup %s", in.Name), a.ValidateBackup,
		activities.ValidateBackupInput{Name: in.Name, Spec: in.Spec}).Get(ctx, &plan); err != nil {
		if isInvalid(err) {
			return fail(PhaseFailedValidation, err)
		}
		return fail(PhaseFailed, err)
	}
	st.StorageLocation, st.TTL = plan.StorageLocation, plan.TTL
	st.Expiration = st.Started.Add(plan.TTL)
	setPhase(PhaseInProgress)

	var vols activities.PlanPodVolumeBackupsResult
	if err := workflow.ExecuteActivity(withSummary(validateOptions(ctx), "plan the pod volumes, hooks and dumps of backup %s", in.Name), a.PlanPodVolumeBackups,
		activities.PlanPodVolumeBackupsInput{Name: in.Name, Spec: in.Spec}).Get(ctx, &vols); err != nil {
		return fail(PhaseFailed, err)
	}
	st.PodVolumeBackups = append(st.PodVolumeBackups, vols.Skipped...)
	if workflow.GetVersion(ctx, "item-blocks", workflow.DefaultVersion, 1) == 1 {
		backupBlocks(ctx, in, plan.StorageLocation, vols, &st)
	} else {
		backupPodVolumes(ctx, in, plan.StorageLocation, vols.Volumes, &st)
	}

	var res activities.BackupResourcesResult
	if err := untilUnlocked(ctx, st.waitingFor, func() error {
		return workflow.ExecuteActivity(withSummary(workOptions(ctx), "back up the resources of %s to location %s", in.Name, plan.StorageLocation), a.BackupResources, activities.BackupResourcesInput{
			Name: in.Name, Spec: in.Spec, StorageLocation: plan.StorageLocation, TTL: plan.TTL,
			PodVolumeBackups: st.PodVolumeBackups, Hooks: st.Hooks, Dumps: st.Dumps,
		}).Get(ctx, &res)
	}); err != nil {
		return fail(PhaseFailed, err)
	}
	st.SnapshotID, st.Items, st.Errors, st.Warnings, st.ResourceBytes = res.SnapshotID, res.Items, res.Errors, res.Warnings, res.Bytes
	st.Completed = workflow.Now(ctx)
	if res.Phase == PhaseFailed {
		return fail(PhaseFailed, errors.New("the resource backup failed"))
	}
	setPhase(res.Phase)
	return st, nil
}

// isInvalid tells whether an activity failed on invalid input.
func isInvalid(err error) bool {
	var ae *temporal.ApplicationError
	return errors.As(err, &ae) && ae.Type() == activities.ErrTypeInvalid
}

// reason is the innermost message of an activity failure, without the
// SDK's wrapping ("activity error (type: …)").
func reason(err error) string {
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) {
		return ae.Message()
	}
	return err.Error()
}
