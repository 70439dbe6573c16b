package face

import (
	"context"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/workflows"
)

// deleteBackup starts the deletion that a new DeleteBackupRequest asks
// for, and follows it to the end: the request is Processed, with the
// deletion's errors, and the Backup object goes with its data. A request
// found InProgress (the server restarted) is followed again.
func (f *Face) deleteBackup(ctx context.Context, r *velerov1.DeleteBackupRequest) error {
	name := r.Spec.BackupName
	switch r.Status.Phase {
	case velerov1.DeleteBackupRequestPhaseProcessed:
		return nil
	case "", velerov1.DeleteBackupRequestPhaseNew:
		if err := f.Cairn.StartDelete(ctx, name); err != nil {
			return err
		}
		r.Status.Phase = velerov1.DeleteBackupRequestPhaseInProgress
		if _, err := f.deletions.objects.UpdateStatus(ctx, r); err != nil {
			return err
		}
	}
	if f.deleting.has(name) {
		return nil
	}
	f.deleting.add(name)
	go f.finishDeletion(ctx, r.Name, name)
	return nil
}

// finishDeletion waits for the deletion of backup name, then marks the
// request req Processed and removes the backup's objects if it is gone.
func (f *Face) finishDeletion(ctx context.Context, req, name string) {
	defer f.deleting.remove(name)
	res, err := f.Cairn.WaitDelete(ctx, name)
	if ctx.Err() != nil {
		return
	}
	var errs []string
	switch {
	case err != nil:
		errs = []string{err.Error()}
	case res.Phase != workflows.PhaseCompleted:
		errs = []string{res.Phase + ": " + res.FailureReason}
	default:
		f.removeBackupObjects(ctx, name)
	}
	for try := 0; try < 5; try++ {
		r, err := f.deletions.objects.Get(ctx, req)
		if err != nil {
			return
		}
		r.Status.Phase, r.Status.Errors = velerov1.DeleteBackupRequestPhaseProcessed, errs
		if _, err = f.deletions.objects.UpdateStatus(ctx, r); err == nil {
			return
		}
		time.Sleep(time.Second)
	}
}

// processedAt is when an answered request may go: Velero keeps them a
// minute.
func processedAt(t *metav1.Time) bool { return t != nil && time.Since(t.Time) > time.Minute }
