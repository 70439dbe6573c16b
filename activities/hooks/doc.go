// Package hooks parses and resolves the hooks of one pod, with Velero's
// rules, and Cairn's application dump and load annotations. It is pure:
// no I/O, no Temporal, no Kubernetes client.
//
// A backup runs exec hooks before (PhasePre) and after (PhasePost) it backs
// up a pod; a restore adds init containers to a restored pod and runs exec
// hooks in it once its container runs. Hooks come from the pod's
// annotations or, when the pod has no command annotation for them, from
// the Backup or Restore spec (spec.go), selected by namespace, resource
// and label (match.go). ForBackup, ForRestoreExec and ForRestoreInit
// resolve them with the defaults filled in; what keeps a hook from running
// is reported in Hook.Problem, not as a Go error. ValidateBackupHooks and
// ValidateRestoreHooks check a spec before any work. ForDump and ForLoad
// resolve the dump and load annotations (dump.go).
package hooks
