package hooks

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// BackupHooks is the hooks section of a Backup spec (Velero's spec.hooks).
type BackupHooks struct {
	// Resources are the resource hooks; a pod runs those that apply to it, in order.
	Resources []BackupResourceHook `json:"resources,omitempty"`
}

// BackupResourceHook is one entry of hooks.resources in a Backup spec: the
// exec hooks to run before and after backing up the pods it selects.
type BackupResourceHook struct {
	// Name names the hook in logs and results.
	Name string `json:"name"`
	// IncludedNamespaces are the namespaces it applies to; empty or "*" means all.
	IncludedNamespaces []string `json:"includedNamespaces,omitempty"`
	// ExcludedNamespaces are namespaces it does not apply to; they win over the included ones.
	ExcludedNamespaces []string `json:"excludedNamespaces,omitempty"`
	// IncludedResources are the resources it applies to; only pods are hooked.
	IncludedResources []string `json:"includedResources,omitempty"`
	// ExcludedResources are resources it does not apply to.
	ExcludedResources []string `json:"excludedResources,omitempty"`
	// LabelSelector, when set, limits it to the pods whose labels match.
	LabelSelector *metav1.LabelSelector `json:"labelSelector,omitempty"`
	// Pre are the hooks run before the pod is backed up.
	Pre []BackupHookEntry `json:"pre,omitempty"`
	// Post are the hooks run after the pod is backed up.
	Post []BackupHookEntry `json:"post,omitempty"`
}

// BackupHookEntry is one pre or post hook of a backup; exec is the only kind.
type BackupHookEntry struct {
	// Exec is the command to run in a container of the pod.
	Exec *ExecHook `json:"exec,omitempty"`
}

// ExecHook is a backup hook's command, run through the pod exec API
// without a shell.
type ExecHook struct {
	// Container is where the command runs; empty means the pod's first container.
	Container string `json:"container,omitempty"`
	// Command is the executable and its arguments.
	Command []string `json:"command"`
	// OnError is Fail (the default) or Continue.
	OnError string `json:"onError,omitempty"`
	// Timeout bounds the command; zero means DefaultTimeout.
	Timeout metav1.Duration `json:"timeout,omitempty"`
}

// RestoreHooks is the hooks section of a Restore spec (Velero's spec.hooks).
type RestoreHooks struct {
	// Resources are the resource hooks; a pod gets those that apply to it, in order.
	Resources []RestoreResourceHook `json:"resources,omitempty"`
}

// RestoreResourceHook is one entry of hooks.resources in a Restore spec:
// the init containers to add to, and the exec hooks to run in, the
// restored pods it selects.
type RestoreResourceHook struct {
	// Name names the hook in logs and results.
	Name string `json:"name"`
	// IncludedNamespaces are the namespaces it applies to (those the pods are restored into); empty or "*" means all.
	IncludedNamespaces []string `json:"includedNamespaces,omitempty"`
	// ExcludedNamespaces are namespaces it does not apply to; they win over the included ones.
	ExcludedNamespaces []string `json:"excludedNamespaces,omitempty"`
	// IncludedResources are the resources it applies to; only pods are hooked.
	IncludedResources []string `json:"includedResources,omitempty"`
	// ExcludedResources are resources it does not apply to.
	ExcludedResources []string `json:"excludedResources,omitempty"`
	// LabelSelector, when set, limits it to the pods whose labels match.
	LabelSelector *metav1.LabelSelector `json:"labelSelector,omitempty"`
	// PostHooks are its init and exec hooks, in order.
	PostHooks []RestoreHookEntry `json:"postHooks,omitempty"`
}

// RestoreHookEntry is one restore hook: an exec hook or an init hook.
type RestoreHookEntry struct {
	// Exec is a command run in the restored pod once its container runs.
	Exec *RestoreExecHook `json:"exec,omitempty"`
	// Init adds init containers to the restored pod.
	Init *InitRestoreHook `json:"init,omitempty"`
}

// RestoreExecHook is a restore exec hook's command, run through the pod
// exec API without a shell once its container is up.
type RestoreExecHook struct {
	// Container is where the command runs; empty means the pod's first container.
	Container string `json:"container,omitempty"`
	// Command is the executable and its arguments.
	Command []string `json:"command"`
	// OnError is Continue (the default) or Fail.
	OnError string `json:"onError,omitempty"`
	// ExecTimeout bounds the command; zero means DefaultTimeout.
	ExecTimeout metav1.Duration `json:"execTimeout,omitempty"`
	// WaitTimeout bounds the wait for the container; zero means no limit.
	WaitTimeout metav1.Duration `json:"waitTimeout,omitempty"`
	// WaitForReady waits for the container to be Ready, not only Running.
	WaitForReady *bool `json:"waitForReady,omitempty"`
}

// InitRestoreHook adds init containers to a restored pod.
type InitRestoreHook struct {
	// InitContainers are full container objects (corev1.Container).
	InitContainers []runtime.RawExtension `json:"initContainers,omitempty"`
	// Timeout bounds the wait for the init containers to complete.
	Timeout metav1.Duration `json:"timeout,omitempty"`
}
