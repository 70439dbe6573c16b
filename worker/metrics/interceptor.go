package metrics

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/workflows"
)

// Interceptor observes the server's workflows and activities for s:
// attempts when a backup, restore or deletion enters InProgress, outcomes
// when its workflow returns, and the duration of every activity attempt.
// Nothing is counted while a worker replays history.
func (s *Server) Interceptor() interceptor.WorkerInterceptor { return &serverInterceptor{s: s} }

type serverInterceptor struct {
	interceptor.WorkerInterceptorBase
	s *Server
}

func (i *serverInterceptor) InterceptWorkflow(ctx workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &workflowInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, s: i.s}
}

func (i *serverInterceptor) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &stepTimer{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}, s: i.s}
}

type workflowInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	s *Server
}

func (w *workflowInbound) Init(outbound interceptor.WorkflowOutboundInterceptor) error {
	return w.Next.Init(&phaseWatcher{WorkflowOutboundInterceptorBase: interceptor.WorkflowOutboundInterceptorBase{Next: outbound}, s: w.s})
}

// ExecuteWorkflow records the outcome of a backup, restore or deletion
// from the workflow's result, which it returns with its error too.
func (w *workflowInbound) ExecuteWorkflow(ctx workflow.Context, in *interceptor.ExecuteWorkflowInput) (any, error) {
	res, err := w.Next.ExecuteWorkflow(ctx, in)
	if workflow.IsReplaying(ctx) {
		return res, err
	}
	schedule := keyword(ctx, workflows.AttrSchedule)
	switch r := res.(type) {
	case workflows.BackupResult:
		w.s.BackupFinished(schedule, r)
	case workflows.RestoreResult:
		w.s.RestoreFinished(schedule, r)
	case workflows.DeleteResult:
		w.s.DeletionFinished(schedule, r)
	}
	return res, err
}

// phaseWatcher counts attempts: a workflow whose CairnPhase becomes
// InProgress has passed validation.
type phaseWatcher struct {
	interceptor.WorkflowOutboundInterceptorBase
	s *Server
}

func (p *phaseWatcher) UpsertTypedSearchAttributes(ctx workflow.Context, attrs ...temporal.SearchAttributeUpdate) error {
	before := keyword(ctx, workflows.AttrPhase)
	err := p.Next.UpsertTypedSearchAttributes(ctx, attrs...)
	if err != nil || workflow.IsReplaying(ctx) || before == workflows.PhaseInProgress || keyword(ctx, workflows.AttrPhase) != workflows.PhaseInProgress {
		return err
	}
	schedule := keyword(ctx, workflows.AttrSchedule)
	switch keyword(ctx, workflows.AttrKind) {
	case workflows.KindBackup:
		p.s.BackupStarted(schedule)
	case workflows.KindRestore:
		p.s.RestoreStarted(schedule)
	case workflows.KindDelete:
		p.s.DeletionStarted(schedule)
	}
	return err
}

// keyword is the workflow's current value of a keyword search attribute.
func keyword(ctx workflow.Context, key temporal.SearchAttributeKeyKeyword) string {
	v, _ := workflow.GetTypedSearchAttributes(ctx).GetKeyword(key)
	return v
}

// stepTimer times each activity attempt by workflow and activity type.
type stepTimer struct {
	interceptor.ActivityInboundInterceptorBase
	s *Server
}

func (t *stepTimer) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	start := time.Now()
	res, err := t.Next.ExecuteActivity(ctx, in)
	info := activity.GetInfo(ctx)
	t.s.StepDone(info.WorkflowType.Name, info.ActivityType.Name, err != nil, time.Since(start))
	if v, ok := res.(activities.ValidateLocationsResult); ok {
		t.s.LocationsValidated(v)
	}
	return res, err
}
