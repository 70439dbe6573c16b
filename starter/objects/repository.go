package objects

import (
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/velerov1"
)

// BackupRepository is repository r as the BackupRepository object of
// namespace ns, labelled as Velero labels its repositories.
func BackupRepository(r starter.Repository, ns string) velerov1.BackupRepository {
	labels := map[string]string{velerov1.StorageLocationLabel: r.Location, velerov1.RepositoryTypeLabel: UploaderType}
	if r.Namespace != "" {
		labels[velerov1.VolumeNamespaceLabel] = r.Namespace
	}
	out := velerov1.BackupRepository{TypeMeta: typeMeta("BackupRepository"), ObjectMeta: objectMeta(r.Name, ns, labels)}
	out.Spec = velerov1.BackupRepositorySpec{
		VolumeNamespace: r.Namespace, BackupStorageLocation: r.Location, RepositoryType: UploaderType,
		ResticIdentifier: r.Repository,
	}
	out.Status = velerov1.BackupRepositoryStatus{
		Phase: repositoryPhase(r.Phase), Message: r.Message, LastMaintenanceTime: timeOrNil(r.LastMaintenance),
	}
	return out
}

// repositoryPhase is Cairn's phase as Velero's: a maintenance under way
// leaves the repository Ready.
func repositoryPhase(p string) velerov1.BackupRepositoryPhase {
	switch p {
	case "New", "NotReady":
		return velerov1.BackupRepositoryPhase(p)
	}
	return velerov1.BackupRepositoryPhaseReady
}
