package hooks

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// ForBackup returns the hooks of phase for pod, from its annotations or
// else from the spec's applicable resource hooks in spec order (spec may
// be nil). Defaults filled in. Problems are reported in Hook.Problem,
// never as a Go error. A hook on a pod that is not Running
// (pod.Status.Phase) gets Problem "pod ns/name is <phase>, not Running".
// A nil pod, or a phase other than PhasePre and PhasePost, has no hooks.
func ForBackup(pod *corev1.Pod, spec *BackupHooks, phase string) []Hook {
	if pod == nil || (phase != PhasePre && phase != PhasePost) {
		return nil
	}
	var hooks []Hook
	if a, ok := backupAnnotations(pod, phase); ok {
		hooks = []Hook{backupAnnotationHook(pod, a, phase)}
	} else {
		hooks = backupSpecHooks(pod, spec, phase)
	}
	for i := range hooks {
		hooks[i].Problem = joinProblems(notRunning(pod), hooks[i].Problem)
	}
	return hooks
}

// backupAnnotationHook resolves the hook the pod's annotations give.
func backupAnnotationHook(pod *corev1.Pod, a annotations, phase string) Hook {
	r := &resolver{pod: pod}
	h := newHook(pod, annotationHookName, phase)
	h.Container = r.container(a.get(keyContainer), a.where(keyContainer))
	h.Command = r.command(a.get(keyCommand), a.where(keyCommand))
	h.OnError = r.onError(a.get(keyOnError), OnErrorFail, a.where(keyOnError))
	h.Timeout = r.duration(a.get(keyTimeout), DefaultTimeout, a.where(keyTimeout))
	h.Problem = r.problem()
	return h
}

// backupSpecHooks resolves the spec's hooks of phase that apply to pod.
func backupSpecHooks(pod *corev1.Pod, spec *BackupHooks, phase string) []Hook {
	if spec == nil {
		return nil
	}
	var hooks []Hook
	for i, rh := range spec.Resources {
		ok, selErr := rh.selector().applies(pod)
		if !ok {
			continue
		}
		entries := rh.Pre
		if phase == PhasePost {
			entries = rh.Post
		}
		for j, e := range entries {
			at := entryRef{name: rh.Name, phase: phase, path: fmt.Sprintf("%s.%s[%d]", resourcePath(i, rh.Name), phase, j)}
			hooks = append(hooks, backupSpecHook(pod, at, e, selErr))
		}
	}
	return hooks
}

// backupSpecHook resolves one pre or post entry of the spec for pod.
func backupSpecHook(pod *corev1.Pod, at entryRef, e BackupHookEntry, selErr error) Hook {
	r := &resolver{pod: pod}
	at.selector(r, selErr)
	h := newHook(pod, at.name, at.phase)
	h.OnError, h.Timeout = OnErrorFail, DefaultTimeout
	if e.Exec == nil {
		r.add(at.path, "has no exec; give the hook an exec with a command")
		h.Problem = r.problem()
		return h
	}
	x := e.Exec
	h.Container = r.container(x.Container, at.field("exec.container"))
	h.Command = r.specCommand(x.Command, at.field("exec.command"))
	h.OnError = r.onError(x.OnError, OnErrorFail, at.field("exec.onError"))
	h.Timeout = r.specDuration(x.Timeout.Duration, DefaultTimeout, at.field("exec.timeout"))
	h.Problem = r.problem()
	return h
}

// entryRef is where a hook entry is in a spec.
type entryRef struct {
	name  string // the resource hook's name
	phase string // the hook's phase
	path  string // "hooks.resources[0] (freeze).pre[1]"
}

// field names a field of the entry: "hooks.resources[0] (freeze).pre[1]: exec.timeout".
func (e entryRef) field(name string) string { return e.path + ": " + name }

// selector records a label selector that does not parse.
func (e entryRef) selector(r *resolver, err error) {
	if err != nil {
		r.add(e.path, fmt.Sprintf("has a labelSelector that does not parse (%v); fix the resource hook's labelSelector", err))
	}
}

// newHook is a hook of pod with its name and phase.
func newHook(pod *corev1.Pod, name, phase string) Hook {
	return Hook{Name: name, Phase: phase, Namespace: pod.Namespace, Pod: pod.Name}
}
