package restore

import (
	"path"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/deploy/release"
)

// DefaultHelperImage runs the restore-wait init container: Cairn's image
// of this release, whatever version a build stamps.
const DefaultHelperImage = release.Image

// addRestoreWait puts the restore-wait init container first in a pod whose
// volumes are restored by the node agents, as Velero does: it mounts each
// of those volumes under /restores/<volume> and runs `cairn restore-helper
// <restore>`, which waits for the done-marker of the restore in each one,
// so the pod's containers start only once their data is back.
func addRestoreWait(obj *unstructured.Unstructured, volumes []string, image, restore string) {
	if image == "" {
		image = DefaultHelperImage
	}
	mounts := make([]any, 0, len(volumes))
	for _, v := range volumes {
		mounts = append(mounts, map[string]any{"name": v, "mountPath": path.Join(podvolume.HelperMountRoot, v)})
	}
	c := map[string]any{
		"name":            podvolume.InitContainerName,
		"image":           image,
		"imagePullPolicy": "IfNotPresent",
		"command":         []any{"cairn"},
		"args":            []any{"restore-helper", restore},
		"volumeMounts":    mounts,
		// Root, as Velero's restore helper runs: it removes the markers the
		// node agent (root) left, whoever the image's user is.
		"securityContext": map[string]any{"runAsUser": int64(0), "runAsGroup": int64(0)},
		"resources": map[string]any{
			"requests": map[string]any{"cpu": "10m", "memory": "16Mi"},
			"limits":   map[string]any{"cpu": "100m", "memory": "64Mi"},
		},
	}
	inits, _, _ := unstructured.NestedSlice(obj.Object, "spec", "initContainers")
	keep := []any{c}
	for _, ic := range inits {
		if m, ok := ic.(map[string]any); ok && m["name"] == podvolume.InitContainerName {
			continue // a pod restored from a restored pod: replace the old one
		}
		keep = append(keep, ic)
	}
	_ = unstructured.SetNestedSlice(obj.Object, keep, "spec", "initContainers")
}
