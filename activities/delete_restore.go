package activities

import (
	"context"
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/converter"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// DeleteRestoreInput names the restore to delete.
type DeleteRestoreInput struct {
	Name string
}

// DeleteRestoreResult says where the deleted restore's files were: an
// empty StorageLocation means that no location held any, so only its
// workflow was removed.
type DeleteRestoreResult struct {
	StorageLocation string `json:",omitempty"`
}

// DeleteRestore deletes a restore as Velero's `restore delete` does: its
// files (restores/<name>/ in the location of the restored backup), then
// its workflow, so that `cairn restore get` forgets it and its name may be
// used again; the restored objects stay in the cluster. It refuses, with
// a non-retryable error of type ErrTypeInvalid, a restore that still runs
// (it goes on until it ends), one in a read-only location, and one that
// neither a location nor Temporal knows. It heartbeats while Temporal
// removes the workflow; a retry finishes what an attempt began.
func (d *Deletion) DeleteRestore(ctx context.Context, in DeleteRestoreInput) (DeleteRestoreResult, error) {
	return heartbeating(ctx, "forget", func(ctx context.Context) (DeleteRestoreResult, error) {
		return d.deleteRestore(ctx, in.Name)
	})
}

func (d *Deletion) deleteRestore(ctx context.Context, name string) (DeleteRestoreResult, error) {
	if errs := CheckRestoreName(name); len(errs) > 0 {
		return DeleteRestoreResult{}, invalid(fmt.Sprintf("cannot delete restore %q: %s", name, joinProblems(errs)))
	}
	status, loc, err := d.restoreWorkflow(ctx, name)
	if err != nil {
		return DeleteRestoreResult{}, err
	}
	if status == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		return DeleteRestoreResult{}, invalid(fmt.Sprintf("cannot delete restore %q: it is still running, and goes on until it ends; "+
			"wait for it (cairn restore describe %s), then delete it", name, name))
	}
	if loc == "" {
		if loc, err = d.restoreLocation(ctx, name); err != nil {
			return DeleteRestoreResult{}, err
		}
	}
	if loc == "" && status == enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED {
		return DeleteRestoreResult{}, invalid(fmt.Sprintf("cannot delete restore %q: no backup storage location and no workflow knows it (cairn restore get lists the restores)", name))
	}
	if err := d.deleteRestoreFiles(ctx, loc, name); err != nil {
		return DeleteRestoreResult{}, err
	}
	if err := d.forgetWorkflow(ctx, d.restoreID(name)); err != nil {
		return DeleteRestoreResult{}, err
	}
	return DeleteRestoreResult{StorageLocation: loc}, d.waitForgotten(ctx, d.restoreID(name))
}

// restoreWorkflow returns the status of restore name's workflow
// (WORKFLOW_EXECUTION_STATUS_UNSPECIFIED when Temporal does not know it)
// and the location its search attributes name, if any.
func (d *Deletion) restoreWorkflow(ctx context.Context, name string) (enumspb.WorkflowExecutionStatus, string, error) {
	desc, err := d.Temporal.DescribeWorkflowExecution(ctx, d.restoreID(name), "")
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("looking up the workflow of restore %s: %w", name, err)
	}
	info := desc.GetWorkflowExecutionInfo()
	var loc string
	if p := info.GetSearchAttributes().GetIndexedFields()[attrLocation]; p != nil {
		_ = converter.GetDefaultDataConverter().FromPayload(p, &loc)
	}
	return info.GetStatus(), loc, nil
}

// restoreLocation finds the location holding restore name's record (or,
// for a restore stored before records existed, its results); "" when none
// does.
func (d *Deletion) restoreLocation(ctx context.Context, name string) (string, error) {
	names, err := d.Locations.Names(ctx)
	if err != nil {
		return "", err
	}
	for _, n := range names {
		st, err := d.Locations.Resolve(ctx, n)
		if err != nil {
			return "", err
		}
		records, err := st.Records()
		if err != nil {
			return "", err
		}
		_, err = records.GetRestore(ctx, name)
		if errors.Is(err, metadata.ErrRestoreNotFound) {
			_, err = records.GetRestoreResults(ctx, name)
		}
		switch {
		case err == nil:
			return st.Name, nil
		case !errors.Is(err, metadata.ErrNotFound):
			return "", err
		}
	}
	return "", nil
}

// deleteRestoreFiles removes restore name's files from location loc,
// which must not be read-only; with loc empty there are none.
func (d *Deletion) deleteRestoreFiles(ctx context.Context, loc, name string) error {
	if loc == "" {
		return nil
	}
	st, err := d.Locations.Resolve(ctx, loc)
	if IsLocationNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.ReadOnly {
		return invalid(fmt.Sprintf(
			"cannot delete restore %q because backup storage location %q is currently in read-only mode; make it ReadWrite with `cairn backup-location set %s --access-mode ReadWrite`",
			name, loc, loc))
	}
	return d.deleteRestoreRecords(ctx, loc, name)
}
