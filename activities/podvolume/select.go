package podvolume

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// Velero's pod annotations that choose the volumes to back up.
const (
	// IncludeAnnotation lists the volumes to back up (opt-in).
	IncludeAnnotation = "backup.velero.io/backup-volumes"
	// ExcludeAnnotation lists the volumes not to back up when every volume
	// is backed up by default (opt-out).
	ExcludeAnnotation = "backup.velero.io/backup-volumes-excludes"
)

// Volume is one volume of a pod chosen for backup.
type Volume struct {
	Name string
	// PVC is the claim behind the volume, empty for other sources.
	PVC string
}

// Skipped is a volume of a pod that is not backed up, and why.
type Skipped struct {
	Volume string
	Reason string
}

// Select returns the volumes of pod to back up: with defaultAll (the
// backup's --default-volumes-to-fs-backup) every volume but those the
// exclude annotation names, otherwise those the include annotation names.
// Volumes whose contents come from the API or the host (hostPath, secret,
// configMap, projected, downwardAPI) are never backed up; a named volume
// the pod does not have is reported as skipped.
func Select(pod *corev1.Pod, defaultAll bool) ([]Volume, []Skipped) {
	byName := map[string]corev1.Volume{}
	for _, v := range pod.Spec.Volumes {
		byName[v.Name] = v
	}
	var names []string
	var skipped []Skipped
	if defaultAll {
		excluded := map[string]bool{}
		for _, n := range List(pod.Annotations[ExcludeAnnotation]) {
			excluded[n] = true
		}
		for _, v := range pod.Spec.Volumes {
			if !excluded[v.Name] {
				names = append(names, v.Name)
			}
		}
	} else {
		for _, n := range List(pod.Annotations[IncludeAnnotation]) {
			if _, ok := byName[n]; !ok {
				skipped = append(skipped, Skipped{Volume: n, Reason: fmt.Sprintf("pod %s/%s has no volume %q", pod.Namespace, pod.Name, n)})
				continue
			}
			names = append(names, n)
		}
	}
	var out []Volume
	for _, n := range names {
		v := byName[n]
		if why := unsupported(v); why != "" {
			if !defaultAll { // the user asked for it: say why it is left out
				skipped = append(skipped, Skipped{Volume: n, Reason: why})
			}
			continue
		}
		vol := Volume{Name: n}
		if v.PersistentVolumeClaim != nil {
			vol.PVC = v.PersistentVolumeClaim.ClaimName
		}
		out = append(out, vol)
	}
	return out, skipped
}

// unsupported says why a volume cannot be backed up from the file system,
// or returns "".
func unsupported(v corev1.Volume) string {
	switch {
	case v.HostPath != nil:
		return "hostPath volumes are not backed up"
	case v.Secret != nil, v.ConfigMap != nil, v.Projected != nil, v.DownwardAPI != nil:
		return "secret, configMap, projected and downwardAPI volumes come from the API and are not backed up"
	}
	return ""
}

// List splits a comma-separated annotation value, dropping blanks.
func List(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
