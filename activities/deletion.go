package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/cairn-backup/cairn/activities/cluster"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// Deletion holds the clients of the activities that delete and expire
// backups. Workflows reference its methods through a nil pointer.
type Deletion struct {
	// Temporal finds the workflows of a backup and its restores, and
	// removes them once the backup is gone.
	Temporal  client.Client
	Locations LocationResolver
	// Cluster scopes the workflow IDs and queries to this cluster's.
	Cluster cluster.Name
}

// backupID and restoreID are the workflow IDs of backup or restore name
// in the deletion's cluster.
func (d *Deletion) backupID(name string) string  { return d.Cluster.Scope(backupIDPrefix + name) }
func (d *Deletion) restoreID(name string) string { return d.Cluster.Scope(restoreIDPrefix + name) }

// CheckDeletableInput asks whether backup Name may be deleted.
type CheckDeletableInput struct {
	Name string
	// StorageLocation, when set, is the location to look in first.
	StorageLocation string `json:",omitempty"`
}

// CheckDeletableResult says where the backup's data is: an empty
// StorageLocation means that no location holds a record of it, so only its
// workflows are left to remove.
type CheckDeletableResult struct {
	StorageLocation string `json:",omitempty"`
	SnapshotID      string `json:",omitempty"`
}

// Workflow IDs and search attribute names that the deletion activities
// query. They mirror package workflows, which imports this package.
const (
	backupIDPrefix  = "backup/"
	restoreIDPrefix = "restore/"
	attrKind        = "CairnKind"
	attrBackup      = "CairnBackup"
	attrLocation    = "CairnStorageLocation"
)

// CheckBackupDeletable refuses, with a non-retryable error of type
// ErrTypeInvalid, to delete a backup that is still running, that a running
// restore reads from, that sits in a read-only location, or that neither a
// location nor Temporal knows. Otherwise it returns where the backup is.
func (d *Deletion) CheckBackupDeletable(ctx context.Context, in CheckDeletableInput) (CheckDeletableResult, error) {
	if errs := CheckBackupName(in.Name); len(errs) > 0 {
		return CheckDeletableResult{}, invalid(fmt.Sprintf("cannot delete backup %q: %s", in.Name, joinProblems(errs)))
	}
	known, err := d.backupWorkflow(ctx, in.Name)
	if err != nil {
		return CheckDeletableResult{}, err
	}
	if known == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		return CheckDeletableResult{}, invalid(fmt.Sprintf(
			"cannot delete backup %q: it is still running; wait for it to finish (cairn backup describe %s)", in.Name, in.Name))
	}
	restores, err := d.restoresOf(ctx, in.Name)
	if err != nil {
		return CheckDeletableResult{}, err
	}
	for _, r := range restores {
		if r.running {
			return CheckDeletableResult{}, invalid(fmt.Sprintf(
				"cannot delete backup %q: restore %s is reading from it; wait for it to finish (cairn restore describe %s)",
				in.Name, r.name, r.name))
		}
	}
	loc, b, err := FindBackup(ctx, d.Locations, in.Name, in.StorageLocation)
	switch {
	case errors.Is(err, metadata.ErrBackupNotFound) && known != enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED:
		return CheckDeletableResult{}, nil // only its workflow is left
	case errors.Is(err, metadata.ErrBackupNotFound):
		return CheckDeletableResult{}, invalid(fmt.Sprintf("cannot delete backup %q: no backup storage location and no workflow knows it (cairn backup get lists the backups)", in.Name))
	case err != nil:
		return CheckDeletableResult{}, err
	}
	st, err := d.Locations.Resolve(ctx, loc)
	if err != nil {
		return CheckDeletableResult{}, err
	}
	if st.ReadOnly {
		return CheckDeletableResult{}, invalid(fmt.Sprintf(
			"cannot delete backup %q because backup storage location %q is currently in read-only mode; make it ReadWrite with `cairn backup-location set %s --access-mode ReadWrite`",
			in.Name, loc, loc))
	}
	return CheckDeletableResult{StorageLocation: loc, SnapshotID: b.SnapshotID()}, nil
}

// backupWorkflow returns the status of backup name's workflow,
// WORKFLOW_EXECUTION_STATUS_UNSPECIFIED when Temporal does not know it.
func (d *Deletion) backupWorkflow(ctx context.Context, name string) (enumspb.WorkflowExecutionStatus, error) {
	desc, err := d.Temporal.DescribeWorkflowExecution(ctx, d.backupID(name), "")
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED, nil
	}
	if err != nil {
		return 0, fmt.Errorf("looking up the workflow of backup %s: %w", name, err)
	}
	return desc.GetWorkflowExecutionInfo().GetStatus(), nil
}

// restoreRef is a restore workflow of a backup.
type restoreRef struct {
	name, location string
	running        bool
}

// restoresOf lists the restore workflows that read from backup name.
func (d *Deletion) restoresOf(ctx context.Context, name string) ([]restoreRef, error) {
	query := d.Cluster.Query(fmt.Sprintf("%s = 'restore' AND %s = '%s'", attrKind, attrBackup, name))
	var out []restoreRef
	var token []byte
	for {
		resp, err := d.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
		if err != nil {
			return nil, fmt.Errorf("listing the restores of backup %s: %w", name, err)
		}
		for _, e := range resp.GetExecutions() {
			id, _ := d.Cluster.Unscope(e.GetExecution().GetWorkflowId())
			restore, ok := strings.CutPrefix(id, restoreIDPrefix)
			if !ok {
				continue
			}
			ref := restoreRef{
				name:    restore,
				running: e.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING,
			}
			if p := e.GetSearchAttributes().GetIndexedFields()[attrLocation]; p != nil {
				var loc string
				if err := converter.GetDefaultDataConverter().FromPayload(p, &loc); err == nil {
					ref.location = loc
				}
			}
			out = append(out, ref)
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return out, nil
		}
	}
}

// forgetWorkflow removes a closed workflow from Temporal; one already
// gone is not an error.
func (d *Deletion) forgetWorkflow(ctx context.Context, id string) error {
	_, err := d.Temporal.WorkflowService().DeleteWorkflowExecution(ctx, &workflowservice.DeleteWorkflowExecutionRequest{
		Namespace:         activity.GetInfo(ctx).WorkflowNamespace,
		WorkflowExecution: &commonpb.WorkflowExecution{WorkflowId: id},
	})
	var nf *serviceerror.NotFound
	if err != nil && !errors.As(err, &nf) {
		return fmt.Errorf("removing workflow %s: %w", id, err)
	}
	return nil
}
