package workflows

// TaskQueue is the task queue of Cairn's control-plane workers.
const TaskQueue = "cairn"

// ProgressQuery names the query handler that returns a running backup's or
// restore's current state.
const ProgressQuery = "progress"

// Kinds, the values of the CairnKind search attribute.
const (
	KindBackup  = "backup"
	KindRestore = "restore"
)

// Phases with Velero's meaning, the values of the CairnPhase search
// attribute and of the results' Phase.
const (
	PhaseNew              = "New"
	PhaseInProgress       = "InProgress"
	PhaseCompleted        = "Completed"
	PhasePartiallyFailed  = "PartiallyFailed"
	PhaseFailed           = "Failed"
	PhaseFailedValidation = "FailedValidation"
)

// BackupID is the workflow ID of backup name; it keeps names unique while
// Temporal retains the workflow.
func BackupID(name string) string { return "backup/" + name }

// RestoreID is the workflow ID of restore name.
func RestoreID(name string) string { return "restore/" + name }
