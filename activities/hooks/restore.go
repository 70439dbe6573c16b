package hooks

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// ForRestoreExec returns the post-restore exec hooks of pod (annotations,
// else spec), in order, Phase PhasePost. (Running-ness is NOT checked
// here: restore waits for the container.) The pod's namespace is the one
// it is restored into, which the spec's namespaces are matched against,
// as in Velero. An entry with neither exec nor init is returned with a
// Problem; init-only entries are ForRestoreInit's.
func ForRestoreExec(pod *corev1.Pod, spec *RestoreHooks) []Hook {
	if pod == nil {
		return nil
	}
	if a := (annotations{values: pod.Annotations, prefix: restoreExecPrefix}); a.hasCommand() {
		return []Hook{restoreAnnotationHook(pod, a)}
	}
	return restoreSpecHooks(pod, spec)
}

// restoreAnnotationHook resolves the exec hook the pod's annotations give.
func restoreAnnotationHook(pod *corev1.Pod, a annotations) Hook {
	r := &resolver{pod: pod}
	h := newHook(pod, annotationHookName, PhasePost)
	h.Container = r.container(a.get(keyContainer), a.where(keyContainer))
	h.Command = r.command(a.get(keyCommand), a.where(keyCommand))
	h.OnError = r.onError(a.get(keyOnError), OnErrorContinue, a.where(keyOnError))
	h.Timeout = r.duration(a.get(keyExecTimeout), DefaultTimeout, a.where(keyExecTimeout))
	h.WaitTimeout = r.duration(a.get(keyWaitTimeout), 0, a.where(keyWaitTimeout))
	h.WaitForReady = r.boolean(a.get(keyWaitForReady), a.where(keyWaitForReady))
	h.Problem = r.problem()
	return h
}

// restoreSpecHooks resolves the spec's exec hooks that apply to pod.
func restoreSpecHooks(pod *corev1.Pod, spec *RestoreHooks) []Hook {
	if spec == nil {
		return nil
	}
	var hooks []Hook
	for i, rh := range spec.Resources {
		ok, selErr := rh.selector().applies(pod)
		if !ok {
			continue
		}
		for j, e := range rh.PostHooks {
			if e.Exec == nil && e.Init != nil {
				continue
			}
			at := entryRef{name: rh.Name, phase: PhasePost, path: fmt.Sprintf("%s.postHooks[%d]", resourcePath(i, rh.Name), j)}
			hooks = append(hooks, restoreSpecHook(pod, at, e.Exec, selErr))
		}
	}
	return hooks
}

// restoreSpecHook resolves one exec entry of the spec for pod; a nil x
// is an entry with neither exec nor init.
func restoreSpecHook(pod *corev1.Pod, at entryRef, x *RestoreExecHook, selErr error) Hook {
	r := &resolver{pod: pod}
	at.selector(r, selErr)
	h := newHook(pod, at.name, PhasePost)
	h.OnError, h.Timeout = OnErrorContinue, DefaultTimeout
	if x == nil {
		r.add(at.path, "has neither exec nor init; give the hook one of them")
		h.Problem = r.problem()
		return h
	}
	h.Container = r.container(x.Container, at.field("exec.container"))
	h.Command = r.specCommand(x.Command, at.field("exec.command"))
	h.OnError = r.onError(x.OnError, OnErrorContinue, at.field("exec.onError"))
	h.Timeout = r.specDuration(x.ExecTimeout.Duration, DefaultTimeout, at.field("exec.execTimeout"))
	h.WaitTimeout = r.specDuration(x.WaitTimeout.Duration, 0, at.field("exec.waitTimeout"))
	h.WaitForReady = x.WaitForReady != nil && *x.WaitForReady
	h.Problem = r.problem()
	return h
}
