package starter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/cluster"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/workflows"
)

// ErrExists means a backup or restore of that name exists already.
var ErrExists = errors.New("already exists")

// ErrNotFound means Temporal knows no backup or restore of that name.
var ErrNotFound = errors.New("not found")

// Client starts and follows backups and restores.
type Client struct {
	Temporal client.Client
	// Locations, when set, lets StartBackup refuse a name that a backup
	// storage location already has a record of (Temporal forgets closed
	// workflows after its retention).
	//
	// With Locations, describing and listing also read the records of the
	// locations (see BackupRecord), so that backups and restores stay
	// visible after Temporal's retention.
	Locations activities.LocationResolver
	// Warn, when set, hears about the locations whose records could not be
	// read while listing, and that no `cairn server` is running
	// (ErrNoServer) when a running workflow is described without one.
	Warn func(error)
	// Cluster scopes what the client starts and lists to one cluster's
	// workflows, when several clusters share the Temporal namespace.
	Cluster cluster.Name

	serverOnce sync.Once
	noServer   bool
}

// StartBackup starts backup in.Name; a name in use is an error wrapping
// ErrExists.
func (c *Client) StartBackup(ctx context.Context, in workflows.BackupInput) error {
	return c.startBackup(ctx, in, "")
}

// startBackup starts backup in.Name; schedule, when set, is the schedule
// it is taken for (its CairnSchedule search attribute and details).
func (c *Client) startBackup(ctx context.Context, in workflows.BackupInput, schedule string) error {
	if c.Locations != nil {
		loc, _, err := activities.FindBackup(ctx, c.Locations, in.Name, in.Spec.StorageLocation)
		if err == nil {
			return fmt.Errorf("backup %q: %w in backup storage location %q", in.Name, ErrExists, loc)
		}
		if !errors.Is(err, metadata.ErrBackupNotFound) {
			return err
		}
	}
	attrs := []temporal.SearchAttributeUpdate{
		workflows.AttrKind.ValueSet(workflows.KindBackup), workflows.AttrName.ValueSet(in.Name),
		workflows.AttrPhase.ValueSet(workflows.PhaseNew)}
	if schedule != "" {
		attrs = append(attrs, workflows.AttrSchedule.ValueSet(schedule))
	}
	return c.start(ctx, workflows.BackupID(in.Name), workflows.Backup, in, c.attrs(attrs...),
		workflows.BackupSummary(in.Name, in.Spec), workflows.BackupDetails(in.Name, schedule, in.Spec))
}

// StartRestore starts restore in.Name.
func (c *Client) StartRestore(ctx context.Context, in workflows.RestoreInput) error {
	return c.start(ctx, workflows.RestoreID(in.Name), workflows.Restore, in, c.attrs(
		workflows.AttrKind.ValueSet(workflows.KindRestore), workflows.AttrName.ValueSet(in.Name),
		workflows.AttrPhase.ValueSet(workflows.PhaseNew), workflows.AttrBackup.ValueSet(in.Spec.BackupName)),
		workflows.RestoreSummary(in.Name, in.Spec), workflows.RestoreDetails(in.Name, in.Spec))
}

func (c *Client) start(ctx context.Context, id string, wf, in any, attrs temporal.SearchAttributes, summary, details string) error {
	_, err := c.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                                       c.scoped(id),
		TaskQueue:                                c.taskQueue(),
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		TypedSearchAttributes:                    attrs,
		StaticSummary:                            summary,
		StaticDetails:                            details,
	}, wf, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return fmt.Errorf("%s: %w", id, ErrExists)
	}
	if err != nil {
		return fmt.Errorf("starting %s: %w", id, err)
	}
	return nil
}

// WaitBackup waits until backup name ends and returns its result, also
// when it failed.
func (c *Client) WaitBackup(ctx context.Context, name string) (workflows.BackupResult, error) {
	var res workflows.BackupResult
	return res, c.wait(ctx, workflows.BackupID(name), &res)
}

// WaitRestore waits until restore name ends and returns its result.
func (c *Client) WaitRestore(ctx context.Context, name string) (workflows.RestoreResult, error) {
	var res workflows.RestoreResult
	return res, c.wait(ctx, workflows.RestoreID(name), &res)
}

func (c *Client) wait(ctx context.Context, id string, res any) error {
	err := c.Temporal.GetWorkflow(ctx, c.scoped(id), "").Get(ctx, res)
	if err != nil && workflows.ResultOf(err, res) {
		return nil
	}
	return notFound(id, err)
}

// DescribeBackup returns backup name's state: the progress query's answer
// while it runs, its result once it ended, and with c.Locations its record
// once Temporal forgot it.
func (c *Client) DescribeBackup(ctx context.Context, name string) (workflows.BackupResult, error) {
	var res workflows.BackupResult
	err := c.describe(ctx, workflows.BackupID(name), &res)
	if err == nil && res.Phase == workflows.PhaseInProgress && res.Items == 0 {
		// The resources are being stored: their count so far.
		res.Items = c.liveItems(ctx, workflows.BackupID(name))
	}
	if errors.Is(err, ErrNotFound) && c.Locations != nil {
		rec, rerr := c.BackupRecord(ctx, name)
		return orRecord(rec, rerr, err)
	}
	return res, err
}

// DescribeRestore returns restore name's state, as DescribeBackup does.
func (c *Client) DescribeRestore(ctx context.Context, name string) (workflows.RestoreResult, error) {
	var res workflows.RestoreResult
	err := c.describe(ctx, workflows.RestoreID(name), &res)
	if errors.Is(err, ErrNotFound) && c.Locations != nil {
		rec, rerr := c.RestoreRecord(ctx, name)
		return orRecord(rec, rerr, err)
	}
	return res, err
}

// orRecord returns the answer of a record lookup made after Temporal said
// notFound: a record missing from every location keeps Temporal's error,
// any other failure is added to it.
func orRecord[T any](res T, err, notFound error) (T, error) {
	switch {
	case err == nil:
		return res, nil
	case errors.Is(err, ErrNotFound) && !errors.Is(err, errUnreadable):
		return res, notFound
	}
	return res, fmt.Errorf("%w; reading the records: %v", notFound, err)
}

func (c *Client) describe(ctx context.Context, id string, res any) error {
	d, err := c.Temporal.DescribeWorkflowExecution(ctx, c.scoped(id), "")
	if err != nil {
		return notFound(id, err)
	}
	switch d.GetWorkflowExecutionInfo().GetStatus() {
	case enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
	case enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED, enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED, enumspb.WORKFLOW_EXECUTION_STATUS_TIMED_OUT:
		// Stopped from outside (the Temporal UI, `temporal workflow
		// terminate`): no result, so what visibility knows, failed.
		return c.stoppedFromOutside(ctx, id, d, res)
	default:
		return c.wait(ctx, id, res)
	}
	if !c.serverRunning(ctx) {
		return c.fromVisibility(ctx, id, d, res)
	}
	qctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	v, err := c.Temporal.QueryWorkflow(qctx, c.scoped(id), "", workflows.ProgressQuery)
	if err != nil && ctx.Err() == nil && (qctx.Err() != nil || unanswered(err)) {
		// A server that stopped a moment ago still counts as polling.
		if c.Warn != nil {
			c.Warn(fmt.Errorf("%s did not answer within %s: %w", id, queryTimeout, ErrNoServer))
		}
		return c.fromVisibility(ctx, id, d, res)
	}
	if err != nil {
		return fmt.Errorf("querying %s: %w", id, err)
	}
	return v.Get(res)
}

// unanswered tells whether a query failed because no worker answered in
// time (Temporal gives up on its own too).
func unanswered(err error) bool {
	var de *serviceerror.DeadlineExceeded
	return errors.As(err, &de) || errors.Is(err, context.DeadlineExceeded)
}

// queryTimeout bounds the progress query of a running workflow; a worker
// answers in milliseconds.
const queryTimeout = 5 * time.Second

// ListBackups returns the state of every backup Temporal knows and, with
// c.Locations, of every other backup with a record, newest first.
func (c *Client) ListBackups(ctx context.Context) ([]workflows.BackupResult, error) {
	return listAll(ctx, c, workflows.KindBackup, c.DescribeBackup, c.recordedBackups,
		func(r workflows.BackupResult) time.Time { return r.Started })
}

// ListRestores returns the state of every restore Temporal knows and, with
// c.Locations, of every other restore with a record, newest first.
func (c *Client) ListRestores(ctx context.Context) ([]workflows.RestoreResult, error) {
	return listAll(ctx, c, workflows.KindRestore, c.DescribeRestore, c.recordedRestores,
		func(r workflows.RestoreResult) time.Time { return r.Started })
}

// listAll describes every workflow of kind that Temporal knows, adds those
// only the records know (recorded skips the known names), and sorts them
// newest first.
func listAll[T any](ctx context.Context, c *Client, kind string,
	describe func(context.Context, string) (T, error),
	recorded func(context.Context, map[string]bool) ([]T, error),
	started func(T) time.Time,
) ([]T, error) {
	var out []T
	known := map[string]bool{}
	err := c.list(ctx, kind, func(name string) error {
		res, err := describe(ctx, name)
		if errors.Is(err, ErrNotFound) {
			return nil // deleted since the listing
		}
		known[name] = true
		out = append(out, res)
		return err
	})
	if err != nil {
		return out, err
	}
	more, err := recorded(ctx, known)
	out = append(out, more...)
	slices.SortStableFunc(out, func(a, b T) int { return started(b).Compare(started(a)) })
	return out, err
}

func (c *Client) list(ctx context.Context, kind string, fn func(name string) error) error {
	return c.listQuery(ctx, fmt.Sprintf("%s = '%s'", workflows.AttrKind.GetName(), kind), kind, fn)
}

func notFound(id string, err error) error {
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return fmt.Errorf("%s: %w", id, ErrNotFound)
	}
	return err
}
