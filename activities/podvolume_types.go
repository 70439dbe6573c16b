package activities

import (
	"time"

	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
)

// NodeAgentQueue is the task queue the node agent of node polls.
func NodeAgentQueue(node string) string { return "node-agent/" + node }

// PodVolume is one pod volume to back up, where it lives and what it is.
type PodVolume struct {
	Namespace string
	Pod       string
	PodUID    string
	Node      string
	Volume    string
	PVC       string `json:",omitempty"`
	// Dir is the name of the volume's folder under the kubelet's
	// <pod-uid>/volumes/<plugin>/: the PersistentVolume's name for a
	// claim, the volume's name otherwise.
	Dir string
}

// PlanPodVolumeBackupsInput asks which pod volumes a backup takes.
type PlanPodVolumeBackupsInput struct {
	Name string
	Spec BackupSpec
}

// PlanPodVolumeBackupsResult lists them, each shared claim once.
type PlanPodVolumeBackupsResult struct {
	Volumes []PodVolume
	// Blocks are the same volumes grouped with the hooks and dumps of
	// their pods, pods that share a claim in one block; a pod with hooks
	// or a dump but no volume is a block of its own.
	Blocks []ItemBlock `json:",omitempty"`
	// Skipped are the volumes left out, with the reason (pods that are
	// not running, volumes that cannot be backed up from files).
	Skipped []metadata.PodVolumeBackup `json:",omitempty"`
}

// PodItem is what runs around the backup of one pod's volumes: its pre
// hooks before, its post hooks after, its application dump between.
type PodItem struct {
	Namespace string
	Pod       string
	Pre       []hooks.Hook `json:",omitempty"`
	Post      []hooks.Hook `json:",omitempty"`
	Dump      *hooks.Dump  `json:",omitempty"`
}

// ItemBlock is a set of pods that share volumes, with those volumes: all
// their pre hooks run, then their volumes and dumps are backed up, then
// their post hooks run.
type ItemBlock struct {
	Pods    []PodItem
	Volumes []PodVolume `json:",omitempty"`
}

// BackupPodVolumeInput asks a node agent to back up one pod volume.
type BackupPodVolumeInput struct {
	Backup          string
	StorageLocation string
	Volume          PodVolume
}

// PodVolumeProgress is the heartbeat of a pod volume backup or restore: its
// counts, its repository lock, and for a backup the repository's durable
// state, which a retried attempt resumes from.
type PodVolumeProgress struct {
	// Namespace, Pod and Volume say which volume this is.
	Namespace  string
	Pod        string
	Volume     string
	FilesDone  uint64
	BytesDone  uint64
	TotalFiles uint64
	TotalBytes uint64
	Checkpoint *repo.Checkpoint `json:",omitempty"`
	// LockID is the repository lock the attempt holds; a retry removes it.
	LockID string `json:",omitempty"`
}

// PlanPodVolumeRestoresInput asks which pod volumes a restore writes.
type PlanPodVolumeRestoresInput struct {
	Name            string
	Spec            RestoreSpec
	StorageLocation string
}

// PodVolumeRestore is one pod volume to restore: the snapshot, and the
// restored pod's volume it goes to.
type PodVolumeRestore struct {
	// BackupNamespace is the namespace at backup time, whose repository
	// holds the snapshot.
	BackupNamespace string
	Namespace       string
	Pod             string
	PodUID          string
	Node            string
	Volume          string
	PVC             string `json:",omitempty"`
	Dir             string
	SnapshotID      string
}

// PlanPodVolumeRestoresResult lists the volumes to restore.
type PlanPodVolumeRestoresResult struct {
	Volumes  []PodVolumeRestore
	Warnings []string `json:",omitempty"`
}

// RestorePodVolumeInput asks a node agent to restore one pod volume.
type RestorePodVolumeInput struct {
	Restore         string
	StorageLocation string
	Volume          PodVolumeRestore
}

// PodVolumeRestoreResult is the outcome of one pod volume restore.
type PodVolumeRestoreResult struct {
	Namespace  string
	Pod        string
	Volume     string
	SnapshotID string
	Files      uint64
	Bytes      uint64
	Duration   time.Duration
	Phase      string
	Error      string `json:",omitempty"`
}
