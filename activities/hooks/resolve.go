package hooks

import (
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// resolver fills in one pod's hook (or dump) field by field, collecting
// what keeps it from running. Each problem names the pod and where the
// bad value is: "annotation pre.hook.backup.velero.io/timeout", or
// "hooks.resources[0] (freeze).pre[1]: exec.timeout".
type resolver struct {
	pod      *corev1.Pod
	problems []string
}

// add records problem (when not "") of the value at where.
func (r *resolver) add(where, problem string) {
	if problem != "" {
		r.problems = append(r.problems, fmt.Sprintf("pod %s, %s %s", podRef(r.pod), where, problem))
	}
}

// problem is every recorded problem, or "".
func (r *resolver) problem() string { return strings.Join(r.problems, "; ") }

// container returns name, or the pod's first container when name is
// empty, recording a name the pod has no container of.
func (r *resolver) container(name, where string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		if len(r.pod.Spec.Containers) == 0 {
			r.add(where, "is unset and the pod has no containers")
			return ""
		}
		return r.pod.Spec.Containers[0].Name
	}
	if names := containerNames(r.pod); !slices.Contains(names, name) {
		r.add(where, fmt.Sprintf("is %q, which is not a container of the pod (its containers: %s); "+
			"name one of them, or leave it unset for the first container", name, strings.Join(names, ", ")))
	}
	return name
}

// command parses a command annotation, recording a bad one.
func (r *resolver) command(value, where string) []string {
	cmd, problem := parseCommand(value)
	r.add(where, problem)
	return cmd
}

// specCommand checks a spec command, recording an empty one.
func (r *resolver) specCommand(cmd []string, where string) []string {
	r.add(where, commandProblem(cmd))
	return cmd
}

// onError returns the on-error mode value names, def when it is empty,
// and Fail, recorded, when it is neither Fail nor Continue.
func (r *resolver) onError(value, def, where string) string {
	if problem := onErrorProblem(value); problem != "" {
		r.add(where, problem)
		return OnErrorFail
	}
	if v := strings.TrimSpace(value); v != "" {
		return v
	}
	return def
}

// duration parses a duration annotation: empty or zero gives def, and a
// value that does not parse or is negative is recorded.
func (r *resolver) duration(value string, def time.Duration, where string) time.Duration {
	d, problem := parseDuration(value)
	r.add(where, problem)
	return orDefault(d, def)
}

// specDuration returns d, or def when it is zero; a negative d is recorded.
func (r *resolver) specDuration(d, def time.Duration, where string) time.Duration {
	r.add(where, negativeProblem(d))
	return orDefault(d, def)
}

// boolean parses a true/false annotation, recording a bad one.
func (r *resolver) boolean(value, where string) bool {
	b, problem := parseBool(value)
	r.add(where, problem)
	return b
}

// orDefault is d when it is positive, else def.
func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// notRunning says that the pod is not Running, or is "".
func notRunning(pod *corev1.Pod) string {
	if pod.Status.Phase == corev1.PodRunning {
		return ""
	}
	phase := string(pod.Status.Phase)
	if phase == "" {
		phase = "without a phase"
	}
	return fmt.Sprintf("pod %s is %s, not Running", podRef(pod), phase)
}

// joinProblems joins the problems that are not "".
func joinProblems(problems ...string) string {
	return strings.Join(slices.DeleteFunc(problems, func(p string) bool { return p == "" }), "; ")
}

// containerNames lists the containers a command can run in: the pod's
// containers and its sidecars (init containers that keep running).
func containerNames(pod *corev1.Pod) []string {
	var names []string
	for _, c := range pod.Spec.Containers {
		names = append(names, c.Name)
	}
	for _, c := range pod.Spec.InitContainers {
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			names = append(names, c.Name)
		}
	}
	return names
}

// podRef is "namespace/name".
func podRef(pod *corev1.Pod) string { return pod.Namespace + "/" + pod.Name }

// resourcePath names a spec's resource hook: "hooks.resources[0] (freeze)".
func resourcePath(i int, name string) string {
	if name == "" {
		return fmt.Sprintf("hooks.resources[%d]", i)
	}
	return fmt.Sprintf("hooks.resources[%d] (%s)", i, name)
}
