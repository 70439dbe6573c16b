package hooks

import (
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Cairn's dump and load annotations (beyond Velero): a backup execs
// DumpCommand in DumpContainer (default first container) and stores its
// stdout as file DumpFilename (default "<container>.dump") of a snapshot,
// cut off after DumpTimeout (default 1h); a restore streams that file
// into LoadCommand's stdin in LoadContainer (default first) within
// LoadTimeout (default 1h). Commands are read like hook commands.
const (
	// DumpCommandAnnotation is the command whose stdout is the dump.
	DumpCommandAnnotation = "backup.cairn.dev/dump-command"
	// DumpContainerAnnotation is the container the dump command runs in.
	DumpContainerAnnotation = "backup.cairn.dev/dump-container"
	// DumpFilenameAnnotation is the dump's file name in the snapshot.
	DumpFilenameAnnotation = "backup.cairn.dev/dump-filename"
	// DumpTimeoutAnnotation bounds the dump command.
	DumpTimeoutAnnotation = "backup.cairn.dev/dump-timeout"
	// LoadCommandAnnotation is the command the dump is streamed into at restore.
	LoadCommandAnnotation = "restore.cairn.dev/load-command"
	// LoadContainerAnnotation is the container the load command runs in.
	LoadContainerAnnotation = "restore.cairn.dev/load-container"
	// LoadTimeoutAnnotation bounds the load command.
	LoadTimeoutAnnotation = "restore.cairn.dev/load-timeout"
	// DefaultDumpTimeout bounds a dump or load without a timeout annotation.
	DefaultDumpTimeout = time.Hour
)

// Dump is the resolved dump (or load) of one pod. Problem follows the
// rules of Hook.Problem; a file name with "/", empty after trimming, or
// "." or "..", is a problem.
type Dump struct {
	Namespace, Pod, Container string
	Command                   []string
	Filename                  string
	Timeout                   time.Duration
	Problem                   string `json:",omitempty"`
}

// ForDump returns the pod's dump, or nil if it has no dump-command
// annotation (or pod is nil); a pod not Running is a Problem.
func ForDump(pod *corev1.Pod) *Dump {
	if pod == nil || pod.Annotations[DumpCommandAnnotation] == "" {
		return nil
	}
	d, r := resolveDump(pod, DumpContainerAnnotation, DumpCommandAnnotation, DumpTimeoutAnnotation)
	d.Filename = dumpFilename(r, d.Container)
	d.Problem = joinProblems(notRunning(pod), r.problem())
	return d
}

// ForLoad returns the pod's load (Filename from the dump-filename
// annotation the restored pod still carries, default as ForDump's: the
// dump container's name, from dump-container or the first container, with
// ".dump"), or nil without load-command (or with a nil pod).
func ForLoad(pod *corev1.Pod) *Dump {
	if pod == nil || pod.Annotations[LoadCommandAnnotation] == "" {
		return nil
	}
	d, r := resolveDump(pod, LoadContainerAnnotation, LoadCommandAnnotation, LoadTimeoutAnnotation)
	d.Filename = dumpFilename(r, dumpContainerName(pod))
	d.Problem = r.problem()
	return d
}

// resolveDump reads the container, command and timeout annotations.
func resolveDump(pod *corev1.Pod, containerKey, commandKey, timeoutKey string) (*Dump, *resolver) {
	r := &resolver{pod: pod}
	a := pod.Annotations
	d := &Dump{Namespace: pod.Namespace, Pod: pod.Name}
	d.Container = r.container(a[containerKey], "annotation "+containerKey)
	d.Command = r.command(a[commandKey], "annotation "+commandKey)
	d.Timeout = r.duration(a[timeoutKey], DefaultDumpTimeout, "annotation "+timeoutKey)
	return d, r
}

// dumpFilename is the dump-filename annotation, trimmed and checked, or
// "<container>.dump" without it.
func dumpFilename(r *resolver, container string) string {
	v, ok := r.pod.Annotations[DumpFilenameAnnotation]
	if !ok {
		return container + ".dump"
	}
	name := strings.TrimSpace(v)
	r.add("annotation "+DumpFilenameAnnotation, filenameProblem(name))
	return name
}

// dumpContainerName is the container a dump ran in: the dump-container
// annotation, or the pod's first container.
func dumpContainerName(pod *corev1.Pod) string {
	if name := strings.TrimSpace(pod.Annotations[DumpContainerAnnotation]); name != "" {
		return name
	}
	if len(pod.Spec.Containers) > 0 {
		return pod.Spec.Containers[0].Name
	}
	return ""
}
