package workflows

import "go.temporal.io/sdk/temporal"

// Custom search attributes that Cairn sets on its workflows so that the
// Temporal UI and `cairn ... get` can list and filter them.
var (
	// AttrKind is the workflow's kind: backup, restore, delete or expire.
	AttrKind = temporal.NewSearchAttributeKeyKeyword("CairnKind")
	// AttrName is the name of the backup or restore.
	AttrName = temporal.NewSearchAttributeKeyKeyword("CairnName")
	// AttrPhase is the phase in Velero's words: New, InProgress, Completed, PartiallyFailed, Failed.
	AttrPhase = temporal.NewSearchAttributeKeyKeyword("CairnPhase")
	// AttrSchedule is the schedule that created a backup, if any.
	AttrSchedule = temporal.NewSearchAttributeKeyKeyword("CairnSchedule")
	// AttrStorageLocation is the backup storage location a backup is written to.
	AttrStorageLocation = temporal.NewSearchAttributeKeyKeyword("CairnStorageLocation")
	// AttrBackup is the backup a restore reads from.
	AttrBackup = temporal.NewSearchAttributeKeyKeyword("CairnBackup")
)

// SearchAttributes lists every custom search attribute Cairn registers.
var SearchAttributes = []temporal.SearchAttributeKey{
	AttrKind, AttrName, AttrPhase, AttrSchedule, AttrStorageLocation, AttrBackup, AttrCluster,
}
