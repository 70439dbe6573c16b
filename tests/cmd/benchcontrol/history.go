package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
)

// step is one span of a run: the CLI before the workflow started, a
// workflow task, an activity's wait in the queue and its execution, and the
// CLI after the workflow closed.
type step struct {
	name string
	d    time.Duration
}

type timeline []step

// history reads a closed workflow's events and splits the CLI's wall time
// into steps. Before "start" is the CLI's own start-up, Temporal dial and
// pre-start checks; after "close" is the time the CLI took to learn of the
// result and exit.
func history(tc client.Client, id string, wall time.Duration) (timeline, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	it := tc.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var events []*historypb.HistoryEvent
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", id, err)
		}
		events = append(events, e)
	}
	if len(events) < 2 {
		return nil, fmt.Errorf("history of %s: %d events", id, len(events))
	}
	at := func(e *historypb.HistoryEvent) time.Time { return e.GetEventTime().AsTime() }
	begin, end := at(events[0]), at(events[len(events)-1])
	var tl timeline
	scheduled := map[int64]*historypb.HistoryEvent{}
	started := map[int64]*historypb.HistoryEvent{}
	names := map[int64]string{}
	for _, e := range events {
		switch e.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			scheduled[e.GetEventId()] = e
			if a := e.GetActivityTaskScheduledEventAttributes(); a != nil {
				names[e.GetEventId()] = a.GetActivityType().GetName()
			}
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED:
			s := scheduled[e.GetWorkflowTaskStartedEventAttributes().GetScheduledEventId()]
			tl = append(tl, step{"workflow task: queue", at(e).Sub(at(s))})
			started[e.GetEventId()] = e
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			s := started[e.GetWorkflowTaskCompletedEventAttributes().GetStartedEventId()]
			tl = append(tl, step{"workflow task: run", at(e).Sub(at(s))})
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
			id := e.GetActivityTaskStartedEventAttributes().GetScheduledEventId()
			tl = append(tl, step{names[id] + ": queue", at(e).Sub(at(scheduled[id]))})
			started[e.GetEventId()] = e
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, enumspb.EVENT_TYPE_ACTIVITY_TASK_FAILED:
			a := e.GetActivityTaskCompletedEventAttributes()
			sid, schedID := a.GetStartedEventId(), a.GetScheduledEventId()
			if f := e.GetActivityTaskFailedEventAttributes(); f != nil {
				sid, schedID = f.GetStartedEventId(), f.GetScheduledEventId()
			}
			tl = append(tl, step{names[schedID] + ": run", at(e).Sub(at(started[sid]))})
		}
	}
	inWorkflow := end.Sub(begin)
	var accounted time.Duration
	for _, s := range tl {
		accounted += s.d
	}
	tl = append(tl, step{"workflow: between tasks", inWorkflow - accounted})
	// The CLI's part: its wall time less the workflow's life.
	tl = append(timeline{{"cli: outside the workflow", wall - inWorkflow}}, tl...)
	return tl, nil
}

func (tl timeline) print(title string) {
	fmt.Printf("  %s\n", title)
	for _, s := range tl {
		fmt.Printf("    %-40s %8.1f ms\n", s.name, float64(s.d.Microseconds())/1000)
	}
}

// breakdown prints the median of each step, summed by name per run.
func breakdown(what string, runs []timeline) {
	per := map[string][]time.Duration{}
	var order []string
	for _, tl := range runs {
		sum := map[string]time.Duration{}
		for _, s := range tl {
			if _, ok := per[s.name]; !ok {
				per[s.name] = nil
				order = append(order, s.name)
			}
			sum[s.name] += s.d
		}
		for name, d := range sum {
			per[name] = append(per[name], d)
		}
	}
	fmt.Printf("%s: median per step over %d runs\n", what, len(runs))
	for _, name := range order {
		ds := per[name]
		slices.Sort(ds)
		fmt.Printf("    %-40s %8.1f ms\n", name, float64(median(ds).Microseconds())/1000)
	}
}
