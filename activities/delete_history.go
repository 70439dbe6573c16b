package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
)

// DeleteBackupHistoryInput names a deleted backup and the location that
// held it (empty when none did).
type DeleteBackupHistoryInput struct {
	Name            string
	StorageLocation string `json:",omitempty"`
}

// DeleteBackupHistoryResult names the restores removed with the backup.
type DeleteBackupHistoryResult struct {
	Restores []string `json:",omitempty"`
}

// DeleteBackupHistory removes what Temporal and the location remember of a
// deleted backup, as Velero removes a deleted backup's restores: the
// records and the closed workflows of the restores from it, then the
// backup's workflow, so that `cairn backup get` no longer lists it and its
// name may be used again. It never removes a running workflow. Temporal
// removes a workflow in the background, within about half a minute of its
// end for one that just ended; this activity returns once they are gone,
// heartbeating meanwhile.
func (d *Deletion) DeleteBackupHistory(ctx context.Context, in DeleteBackupHistoryInput) (DeleteBackupHistoryResult, error) {
	return heartbeating(ctx, "forget", func(ctx context.Context) (DeleteBackupHistoryResult, error) {
		return d.deleteBackupHistory(ctx, in)
	})
}

func (d *Deletion) deleteBackupHistory(ctx context.Context, in DeleteBackupHistoryInput) (DeleteBackupHistoryResult, error) {
	var res DeleteBackupHistoryResult
	var ids []string
	restores, err := d.restoresOf(ctx, in.Name)
	if err != nil {
		return res, err
	}
	for _, r := range restores {
		if r.running {
			continue
		}
		loc := r.location
		if loc == "" {
			loc = in.StorageLocation
		}
		if loc != "" {
			if err := d.deleteRestoreRecords(ctx, loc, r.name); err != nil {
				return res, err
			}
		}
		if err := d.forgetWorkflow(ctx, d.restoreID(r.name)); err != nil {
			return res, err
		}
		ids = append(ids, d.restoreID(r.name))
		res.Restores = append(res.Restores, r.name)
	}
	status, err := d.backupWorkflow(ctx, in.Name)
	if err != nil {
		return res, err
	}
	switch status {
	case enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED:
	case enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
		return res, invalid(fmt.Sprintf("backup %q started again while it was being deleted; delete it again once it finishes", in.Name))
	default:
		if err := d.forgetWorkflow(ctx, d.backupID(in.Name)); err != nil {
			return res, err
		}
		ids = append(ids, d.backupID(in.Name))
	}
	for _, id := range ids {
		if err := d.waitForgotten(ctx, id); err != nil {
			return res, err
		}
	}
	return res, nil
}

// Waiting for Temporal to remove a workflow.
const (
	forgetPoll    = time.Second
	forgetTimeout = 3 * time.Minute
)

// waitForgotten waits until Temporal no longer knows workflow id.
func (d *Deletion) waitForgotten(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, forgetTimeout)
	defer cancel()
	for {
		_, err := d.Temporal.DescribeWorkflowExecution(ctx, id, "")
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			return nil
		}
		t := time.NewTimer(forgetPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("temporal has not removed workflow %s yet", id)
		case <-t.C:
		}
	}
}

// deleteRestoreRecords removes restores/<name>/ from location loc; a
// location that no longer exists has nothing left to remove.
func (d *Deletion) deleteRestoreRecords(ctx context.Context, loc, name string) error {
	st, err := d.Locations.Resolve(ctx, loc)
	if IsLocationNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	records, err := st.Records()
	if err != nil {
		return err
	}
	if err := records.DeleteRestore(ctx, name); err != nil {
		return fmt.Errorf("deleting the records of restore %s: %w", name, err)
	}
	return nil
}
