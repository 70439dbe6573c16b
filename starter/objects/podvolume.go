package objects

import (
	"fmt"
	"hash/fnv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/workflows"
)

// UploaderType is the uploader Velero's describe groups Cairn's pod volume
// backups under: they are restic repositories.
const UploaderType = "restic"

// PodVolumeBackups are the pod volume backups of backup res as objects of
// namespace ns, labelled with the backup's name as Velero's describe finds
// them.
func PodVolumeBackups(res workflows.BackupResult, ns string) []velerov1.PodVolumeBackup {
	out := make([]velerov1.PodVolumeBackup, 0, len(res.PodVolumeBackups))
	for _, p := range res.PodVolumeBackups {
		out = append(out, podVolumeBackup(res, p, ns))
	}
	return out
}

func podVolumeBackup(res workflows.BackupResult, p metadata.PodVolumeBackup, ns string) velerov1.PodVolumeBackup {
	name := childName(res.Name, p.Namespace+"/"+p.Pod+"/"+p.Volume)
	labels := map[string]string{velerov1.BackupNameLabel: res.Name}
	out := velerov1.PodVolumeBackup{TypeMeta: typeMeta("PodVolumeBackup"), ObjectMeta: objectMeta(name, ns, labels)}
	out.Spec = velerov1.PodVolumeBackupSpec{
		Node: p.Node, Volume: p.Volume, BackupStorageLocation: res.StorageLocation, UploaderType: UploaderType,
		Pod: corev1.ObjectReference{Kind: "Pod", Namespace: p.Namespace, Name: p.Pod, UID: types.UID(p.PodUID)},
	}
	out.Status = velerov1.PodVolumeBackupStatus{
		Phase: velerov1.PodVolumeBackupPhase(p.Phase), SnapshotID: p.SnapshotID, Message: p.Error,
		Progress: velerov1.DataMoveOperationProgress{TotalBytes: int64(p.Bytes), BytesDone: int64(p.Bytes)},
	}
	if p.Phase == metadata.VolumeSkipped {
		out.Status.Phase = velerov1.PodVolumeBackupPhaseCompleted
		out.Status.Message = "skipped: " + p.Error
	}
	return out
}

// childName names an object of parent's for key: the parent's name and a
// hash of key, within a label's 63 characters.
func childName(parent, key string) string {
	h := fnv.New32a()
	h.Write([]byte(key))
	suffix := fmt.Sprintf("-%08x", h.Sum32())
	if len(parent) > 63-len(suffix) {
		parent = parent[:63-len(suffix)]
	}
	return parent + suffix
}
