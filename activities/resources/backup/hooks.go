package backup

import (
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

var pods = schema.GroupResource{Resource: "pods"}

// logHooks logs each hook's outcome, with its exit code and the tails of
// its output: an error when it failed with on-error Fail, a warning when
// it failed with Continue. It returns the pods ("ns/name") whose pre hook
// failed with Fail, which are not backed up.
func logHooks(rec *metadata.Recorder, hooks []metadata.HookResult) map[string]bool {
	excluded := map[string]bool{}
	for _, h := range hooks {
		switch {
		case !h.Failed():
			rec.Info("%s", h)
		case h.Fatal():
			rec.Error(h.Namespace, "%s", h)
			if h.Phase == "pre" {
				excluded[h.Namespace+"/"+h.Pod] = true
			}
		default:
			rec.Warn(h.Namespace, "%s", h)
		}
	}
	return excluded
}

// logDumps logs each application dump's outcome; a failed one is an
// error naming the pod, the exit code and the end of its stderr.
func logDumps(rec *metadata.Recorder, dumps []metadata.PodDump) {
	for _, d := range dumps {
		if d.Phase == metadata.VolumeCompleted {
			rec.Info("application dump %s of pod %s/%s container %s: snapshot %s, %d bytes", d.Filename, d.Namespace, d.Pod,
				d.Container, d.SnapshotID, d.Bytes)
			continue
		}
		rec.Error(d.Namespace, "application dump %s of pod %s/%s container %s failed: %s (exit code %d); stderr: %s",
			d.Filename, d.Namespace, d.Pod, d.Container, d.Error, d.ExitCode, d.Stderr)
	}
}
