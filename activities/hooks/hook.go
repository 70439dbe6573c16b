package hooks

import "time"

// Hook phases and on-error modes, as Velero spells them.
const (
	// PhasePre hooks run before a pod is backed up.
	PhasePre = "pre"
	// PhasePost hooks run after a pod is backed up, or in a restored pod.
	PhasePost = "post"
	// OnErrorFail makes a failed hook fail the pod (backup) or the restore.
	OnErrorFail = "Fail"
	// OnErrorContinue makes a failed hook a warning.
	OnErrorContinue = "Continue"
	// DefaultTimeout bounds an exec hook without a timeout.
	DefaultTimeout = 30 * time.Second
)

// annotationHookName is the name Velero gives hooks from annotations.
const annotationHookName = "<from-annotation>"

// Hook is one exec hook resolved for one pod: what the workflow runs as one activity.
type Hook struct {
	Name                      string // the spec hook's name, or "<from-annotation>" as Velero names annotation hooks
	Phase                     string // PhasePre or PhasePost
	Namespace, Pod, Container string
	Command                   []string
	OnError                   string        // OnErrorFail or OnErrorContinue
	Timeout                   time.Duration // exec timeout
	WaitTimeout               time.Duration `json:",omitempty"` // restore only; 0 = no limit
	WaitForReady              bool          `json:",omitempty"` // restore only
	// Problem, when set, says why the hook cannot run (an unknown container, an empty command, a timeout that
	// does not parse, an on-error other than Fail/Continue): the hook is not run and counts as failed with
	// its OnError (Fail when the on-error value itself is bad). The message names the pod, the annotation or spec hook, and the fix.
	Problem string `json:",omitempty"`
}
