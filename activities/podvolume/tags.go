package podvolume

import "strings"

// Hostname is the host recorded in every pod volume snapshot, so that
// snapshots do not depend on the node that took them (Velero uses "velero").
const Hostname = "cairn"

// Source names a pod volume's data.
type Source struct {
	Backup    string
	Namespace string
	Pod       string
	Volume    string
	PVC       string
}

// Tags are the restic tags of a pod volume snapshot: backup, namespace, pod,
// volume and, for a claim, its name.
func (s Source) Tags() []string {
	t := []string{"backup=" + s.Backup, "ns=" + s.Namespace, "pod=" + s.Pod, "volume=" + s.Volume}
	if s.PVC != "" {
		t = append(t, "pvc="+s.PVC)
	}
	return t
}

// ParentTags select the snapshots whose data the next backup of the same
// source builds on: those of the same claim, or of the same pod volume when
// there is no claim.
func (s Source) ParentTags() []string {
	if s.PVC != "" {
		return []string{"ns=" + s.Namespace, "pvc=" + s.PVC}
	}
	return []string{"ns=" + s.Namespace, "pod=" + s.Pod, "volume=" + s.Volume}
}

// Tag returns the value of tag key in tags, or "".
func Tag(tags []string, key string) string {
	for _, t := range tags {
		if k, v, ok := strings.Cut(t, "="); ok && k == key {
			return v
		}
	}
	return ""
}
