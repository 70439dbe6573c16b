package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// restorePods restores the pod volumes and runs the restore hooks of each
// restored pod at once: in each pod, its volumes are written, then its
// dump is loaded, then its exec hooks run in order, one at a time, each
// once its container runs.
func restorePods(ctx workflow.Context, in RestoreInput, location string, vols []activities.PodVolumeRestore, plan activities.PlanRestoreHooksResult, st *RestoreResult) {
	st.Loads = append(st.Loads, plan.Failed...)
	byPod := map[string][]activities.PodVolumeRestore{}
	var order []string
	for _, v := range vols {
		key := v.Namespace + "/" + v.Pod
		if _, seen := byPod[key]; !seen {
			order = append(order, key)
		}
		byPod[key] = append(byPod[key], v)
	}
	hooked := map[string]activities.PodRestoreHooks{}
	for _, p := range plan.Pods {
		key := p.Namespace + "/" + p.Pod
		if _, seen := byPod[key]; !seen {
			order = append(order, key)
			byPod[key] = nil
		}
		hooked[key] = p
	}
	wg := workflow.NewWaitGroup(ctx)
	for _, key := range order {
		wg.Add(1)
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer wg.Done()
			restorePodVolumes(ctx, in, location, byPod[key], st)
			runRestoreHooks(ctx, hooked[key], st)
		})
	}
	wg.Wait(ctx)
}

// runRestoreHooks loads a pod's dump, then runs its exec hooks.
func runRestoreHooks(ctx workflow.Context, p activities.PodRestoreHooks, st *RestoreResult) {
	if p.Load != nil {
		st.Loads = append(st.Loads, loadDump(ctx, *p.Load))
	}
	runHooks(ctx, p.Hooks, true, &st.Hooks)
}

// loadDump streams one dump into its restored pod; an activity that failed
// for good is a Failed outcome with the reason.
func loadDump(ctx workflow.Context, in activities.LoadDumpInput) metadata.PodDump {
	var h *activities.Hooks
	var r metadata.PodDump
	if err := workflow.ExecuteActivity(dumpOptions(ctx, in.Load, "load"), h.LoadDump, in).Get(ctx, &r); err != nil {
		d := in.Load
		r = metadata.PodDump{Namespace: d.Namespace, Pod: d.Pod, Container: d.Container, Filename: d.Filename,
			SnapshotID: in.SnapshotID, Phase: metadata.VolumeFailed, Error: reason(err)}
	}
	return r
}
