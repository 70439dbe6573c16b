package activities

import (
	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// RunHookInput asks for one exec hook to run.
type RunHookInput struct {
	Hook hooks.Hook
	// Wait, for a restore hook, waits until the container runs (and is
	// ready, with the hook's WaitForReady) for up to its WaitTimeout
	// (no limit when zero); a backup hook on a container that does not run
	// fails at once.
	Wait bool `json:",omitempty"`
}

// BackupDumpInput asks for one pod's application dump to be stored in the
// repository of its namespace.
type BackupDumpInput struct {
	Backup          string
	StorageLocation string
	Dump            hooks.Dump
}

// LoadDumpInput asks for a backed-up dump to be streamed into a restored
// pod's load command.
type LoadDumpInput struct {
	Restore         string
	StorageLocation string
	// BackupNamespace names the repository that holds the dump.
	BackupNamespace string
	SnapshotID      string
	// Bytes is the dump's size, which the load command must read whole.
	Bytes uint64
	Load  hooks.Dump
}

// PlanRestoreHooksInput asks which hooks and loads a restore runs.
type PlanRestoreHooksInput struct {
	Name            string
	Spec            RestoreSpec
	StorageLocation string
}

// PodRestoreHooks are what runs in one restored pod once its volumes are
// back: the load of its dump, then its exec hooks in order.
type PodRestoreHooks struct {
	Namespace string
	Pod       string
	Load      *LoadDumpInput `json:",omitempty"`
	Hooks     []hooks.Hook   `json:",omitempty"`
}

// PlanRestoreHooksResult lists them per pod.
type PlanRestoreHooksResult struct {
	Pods []PodRestoreHooks `json:",omitempty"`
	// Failed are the loads that cannot run (no dump was backed up for
	// the pod, or its load annotations are wrong).
	Failed []metadata.PodDump `json:",omitempty"`
}
