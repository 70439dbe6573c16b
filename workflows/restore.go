package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// RestoreInput starts a restore: the input of the Restore workflow, whose
// workflow ID is RestoreID(Name) ("restore/<name>") on task queue
// TaskQueue.
type RestoreInput struct {
	// Name is the restore's name, a DNS-1123 label.
	Name string
	// Spec is what to restore and from which backup, as Velero's `restore
	// create` flags say it.
	Spec activities.RestoreSpec
	// NodeAgentTimeout bounds the wait for a node agent to take a pod
	// volume (DefaultNodeAgentTimeout when zero).
	NodeAgentTimeout time.Duration `json:",omitempty"`
}

// RestoreResult is a restore's state and outcome, as BackupResult is a
// backup's.
type RestoreResult struct {
	Name            string
	BackupName      string
	Spec            activities.RestoreSpec
	Phase           string
	StorageLocation string `json:",omitempty"`
	Total           int
	Created         int
	Updated         int
	Skipped         int
	FailedItems     int
	Errors          int
	Warnings        int
	FailureReason   string    `json:",omitempty"`
	Started         time.Time `json:",omitzero"`
	Completed       time.Time `json:",omitzero"`
	// PodVolumeRestores are the pod volumes written by the node agents.
	PodVolumeRestores []activities.PodVolumeRestoreResult `json:",omitempty"`
	// Hooks are the exec hooks run in the restored pods, with their
	// outcomes; Loads the application dumps streamed into them.
	Hooks []metadata.HookResult `json:",omitempty"`
	Loads []metadata.PodDump    `json:",omitempty"`
	// Waiting names the repository lock the restore waits for, if any.
	Waiting string `json:",omitempty"`
}

func (st *RestoreResult) waitingFor(holder string) { st.Waiting = holder }

// Restore validates a restore, finds the location holding its backup and
// restores the selected resources. It upserts CairnKind, CairnName,
// CairnPhase, CairnBackup and CairnStorageLocation and answers ProgressQuery.
// Once the resources are back, each restored pod's volumes go to the agent
// of the node the pod was scheduled on; the pods' restore-wait init
// containers hold them until their data is in place. A step whose
// repository is locked (a maintenance) waits for it on a durable timer.
func Restore(ctx workflow.Context, in RestoreInput) (RestoreResult, error) {
	st := RestoreResult{Name: in.Name, BackupName: in.Spec.BackupName, Spec: in.Spec, Phase: PhaseNew, Started: workflow.Now(ctx)}
	if err := workflow.SetQueryHandler(ctx, ProgressQuery, func() (RestoreResult, error) { return st, nil }); err != nil {
		return st, err
	}
	setPhase := func(phase string) {
		st.Phase = phase
		_ = workflow.UpsertTypedSearchAttributes(ctx,
			AttrKind.ValueSet(KindRestore), AttrName.ValueSet(in.Name), AttrPhase.ValueSet(phase),
			AttrBackup.ValueSet(in.Spec.BackupName), AttrStorageLocation.ValueSet(st.StorageLocation))
	}
	fail := func(phase string, err error) (RestoreResult, error) {
		st.FailureReason = reason(err)
		st.Completed = workflow.Now(ctx)
		setPhase(phase)
		return st, failure(phase, st.FailureReason, st)
	}
	setPhase(PhaseNew)

	var a *activities.Resources
	var plan activities.ValidateRestoreResult
	if err := workflow.ExecuteActivity(withSummary(validateOptions(ctx), "validate restore %s of backup %s", in.Name, in.Spec.BackupName), a.ValidateRestore,
		activities.ValidateRestoreInput{Name: in.Name, Spec: in.Spec}).Get(ctx, &plan); err != nil {
		if isInvalid(err) {
			return fail(PhaseFailedValidation, err)
		}
		return fail(PhaseFailed, err)
	}
	st.StorageLocation = plan.StorageLocation
	setPhase(PhaseInProgress)

	var res activities.RestoreResourcesResult
	if err := untilUnlocked(ctx, st.waitingFor, func() error {
		return workflow.ExecuteActivity(withSummary(workOptions(ctx), "restore the resources of backup %s", in.Spec.BackupName), a.RestoreResources, activities.RestoreResourcesInput{
			Name: in.Name, Spec: in.Spec, StorageLocation: plan.StorageLocation,
		}).Get(ctx, &res)
	}); err != nil {
		return fail(PhaseFailed, err)
	}
	st.Total, st.Created, st.Updated, st.Skipped = res.Total, res.Created, res.Updated, res.Skipped
	st.FailedItems, st.Errors, st.Warnings = res.Failed, res.Errors, res.Warnings
	if res.Phase == PhaseFailed {
		st.Completed = workflow.Now(ctx)
		return fail(PhaseFailed, errors.New("the resource restore failed"))
	}

	var vols activities.PlanPodVolumeRestoresResult
	if err := workflow.ExecuteActivity(waitOptions(ctx), a.PlanPodVolumeRestores, activities.PlanPodVolumeRestoresInput{
		Name: in.Name, Spec: in.Spec, StorageLocation: plan.StorageLocation,
	}).Get(ctx, &vols); err != nil {
		st.Completed = workflow.Now(ctx)
		return fail(PhaseFailed, err)
	}
	st.Warnings += len(vols.Warnings)
	if workflow.GetVersion(ctx, "restore-hooks", workflow.DefaultVersion, 1) == 1 {
		var hp activities.PlanRestoreHooksResult
		if err := workflow.ExecuteActivity(validateOptions(ctx), a.PlanRestoreHooks, activities.PlanRestoreHooksInput{
			Name: in.Name, Spec: in.Spec, StorageLocation: plan.StorageLocation,
		}).Get(ctx, &hp); err != nil {
			st.Completed = workflow.Now(ctx)
			return fail(PhaseFailed, err)
		}
		restorePods(ctx, in, plan.StorageLocation, vols.Volumes, hp, &st)
	} else {
		restorePodVolumes(ctx, in, plan.StorageLocation, vols.Volumes, &st)
	}
	st.Completed = workflow.Now(ctx)
	phase := st.countOutcomes(res.Phase)
	// The stored record was written with the resources; bring it up to the
	// pod volumes' outcome (runs recorded before this step skip it).
	if len(st.PodVolumeRestores)+len(st.Hooks)+len(st.Loads) > 0 && workflow.GetVersion(ctx, "record-pod-volume-restores", workflow.DefaultVersion, 1) == 1 {
		if err := workflow.ExecuteActivity(validateOptions(ctx), a.RecordRestore, activities.RecordRestoreInput{
			Name: in.Name, Spec: in.Spec, StorageLocation: plan.StorageLocation, Phase: phase,
			Started: st.Started, Completed: st.Completed, Errors: st.Errors, Warnings: st.Warnings,
			PodVolumeRestores: st.PodVolumeRestores, Hooks: st.Hooks, Loads: st.Loads,
		}).Get(ctx, nil); err != nil {
			st.Warnings++ // the restore itself is done; only its stored record lags
		}
	}
	setPhase(phase)
	return st, nil
}

// countOutcomes counts the failed pod volumes, loads and hooks into the
// restore's errors (a hook that failed with on-error Continue, Velero's
// default for restore hooks, is a warning) and returns the phase they give
// a restore whose resources ended in phase.
func (st *RestoreResult) countOutcomes(phase string) string {
	for _, v := range st.PodVolumeRestores {
		if v.Phase != PhaseCompleted {
			st.Errors++
			phase = PhasePartiallyFailed
		}
	}
	for _, d := range st.Loads {
		if d.Phase != PhaseCompleted {
			st.Errors++
			phase = PhasePartiallyFailed
		}
	}
	for _, h := range st.Hooks {
		switch {
		case h.Fatal():
			st.Errors++
			phase = PhasePartiallyFailed
		case h.Failed():
			st.Warnings++
		}
	}
	return phase
}
