package face

import (
	"context"
	"errors"

	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/objects"
	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/workflows"
)

// startBackup starts the backup workflow of a new Backup object. A spec
// Cairn cannot honour fails validation on the object, with the reason; a
// name Temporal or a location already knows is that backup, whose state
// the follower writes back.
func (f *Face) startBackup(ctx context.Context, b *velerov1.Backup) error {
	if b.Status.Phase != "" && b.Status.Phase != velerov1.BackupPhaseNew {
		return nil
	}
	in, err := objects.BackupInput(b)
	if err != nil {
		return f.failBackupValidation(ctx, b, err)
	}
	err = f.Cairn.StartBackup(ctx, in)
	switch {
	case errors.Is(err, starter.ErrExists):
		return nil
	case err != nil:
		return err
	}
	b.Status.Phase = velerov1.BackupPhaseInProgress
	_, err = f.backups.objects.UpdateStatus(ctx, b)
	return err
}

func (f *Face) failBackupValidation(ctx context.Context, b *velerov1.Backup, err error) error {
	b.Status = objects.BackupStatus(workflows.BackupResult{Name: b.Name, Phase: workflows.PhaseFailedValidation, FailureReason: err.Error()})
	_, err = f.backups.objects.UpdateStatus(ctx, b)
	return err
}
