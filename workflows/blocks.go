package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// backupBlocks backs up every item block at once: in each, all pre hooks
// of its pods run, then the volumes and dumps of the pods whose pre hooks
// did not fail with Fail are backed up, then those pods' post hooks run.
func backupBlocks(ctx workflow.Context, in BackupInput, location string, plan activities.PlanPodVolumeBackupsResult, st *BackupResult) {
	blocks := plan.Blocks
	if len(blocks) == 0 { // a plan without blocks: one per volume
		for _, v := range plan.Volumes {
			blocks = append(blocks, activities.ItemBlock{Volumes: []activities.PodVolume{v}})
		}
	}
	wg := workflow.NewWaitGroup(ctx)
	for _, b := range blocks {
		wg.Add(1)
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer wg.Done()
			backupBlock(ctx, in, location, b, st)
		})
	}
	wg.Wait(ctx)
}

func backupBlock(ctx workflow.Context, in BackupInput, location string, b activities.ItemBlock, st *BackupResult) {
	failed := map[string]bool{}
	for _, p := range b.Pods {
		if !runHooks(ctx, p.Pre, false, &st.Hooks) {
			failed[p.Namespace+"/"+p.Pod] = true
		}
	}
	var vols []activities.PodVolume
	for _, v := range b.Volumes {
		if failed[v.Namespace+"/"+v.Pod] {
			st.PodVolumeBackups = append(st.PodVolumeBackups, metadata.PodVolumeBackup{Namespace: v.Namespace, Pod: v.Pod,
				PodUID: v.PodUID, Node: v.Node, Volume: v.Volume, PVC: v.PVC, Phase: metadata.VolumeFailed,
				Error: fmt.Sprintf("not backed up: a pre hook of pod %s/%s failed with on-error Fail", v.Namespace, v.Pod)})
			continue
		}
		vols = append(vols, v)
	}
	wg := workflow.NewWaitGroup(ctx)
	wg.Add(1)
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer wg.Done()
		backupPodVolumes(ctx, in, location, vols, st)
	})
	for _, p := range b.Pods {
		if p.Dump == nil || failed[p.Namespace+"/"+p.Pod] {
			continue
		}
		wg.Add(1)
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer wg.Done()
			st.Dumps = append(st.Dumps, backupDump(ctx, in.Name, location, *p.Dump, st.waitingFor))
		})
	}
	wg.Wait(ctx)
	for _, p := range b.Pods {
		if !failed[p.Namespace+"/"+p.Pod] {
			runHooks(ctx, p.Post, false, &st.Hooks)
		}
	}
}

// backupDump runs one application dump, waiting for a locked repository
// as a pod volume does; an activity that failed for good is a Failed
// outcome with the reason.
func backupDump(ctx workflow.Context, backup, location string, d hooks.Dump, waiting func(string)) metadata.PodDump {
	var h *activities.Hooks
	var r metadata.PodDump
	err := untilUnlocked(ctx, waiting, func() error {
		return workflow.ExecuteActivity(dumpOptions(ctx, d, "dump"), h.BackupDump,
			activities.BackupDumpInput{Backup: backup, StorageLocation: location, Dump: d}).Get(ctx, &r)
	})
	if err != nil {
		r = metadata.PodDump{Namespace: d.Namespace, Pod: d.Pod, Container: d.Container, Filename: d.Filename,
			Phase: metadata.VolumeFailed, Error: reason(err)}
	}
	return r
}
