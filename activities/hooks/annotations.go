package hooks

import corev1 "k8s.io/api/core/v1"

// Velero's hook annotations. A backup hook's keys are prefixed by its
// phase ("pre." or "post."); the unprefixed keys are Velero's legacy
// form of the pre hook, still read when the pod has no pre command.
const (
	backupHookDomain  = "hook.backup.velero.io/"
	restoreExecPrefix = "post.hook.restore.velero.io/"
	restoreInitPrefix = "init.hook.restore.velero.io/"

	keyContainer    = "container"
	keyCommand      = "command"
	keyOnError      = "on-error"
	keyTimeout      = "timeout"
	keyExecTimeout  = "exec-timeout"
	keyWaitTimeout  = "wait-timeout"
	keyWaitForReady = "wait-for-ready"
	keyInitImage    = "container-image"
	keyInitName     = "container-name"
)

// annotations reads one annotation hook's keys, all under one prefix.
type annotations struct {
	values map[string]string
	prefix string
}

// get is the value of the key under the prefix, or "".
func (a annotations) get(key string) string { return a.values[a.prefix+key] }

// where names the key for a problem: "annotation pre.hook.backup.velero.io/timeout".
func (a annotations) where(key string) string { return "annotation " + a.prefix + key }

// hasCommand tells whether the hook is given: Velero takes a command
// annotation that is set but empty as no hook.
func (a annotations) hasCommand() bool { return a.get(keyCommand) != "" }

// backupAnnotations returns the pod's annotations of a backup hook of
// phase, and whether it has one.
func backupAnnotations(pod *corev1.Pod, phase string) (annotations, bool) {
	a := annotations{values: pod.Annotations, prefix: phase + "." + backupHookDomain}
	if !a.hasCommand() && phase == PhasePre {
		a.prefix = backupHookDomain
	}
	return a, a.hasCommand()
}
