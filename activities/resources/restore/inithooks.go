package restore

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	corev1 "k8s.io/api/core/v1"

	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/podvolume"
)

// addInitHooks puts a pod's init-container restore hooks (its
// init.hook.restore.velero.io annotations, else the spec's) before its own
// init containers and after the restore-wait one, as Velero does: they
// start once the pod's volumes are back. A hook that cannot be added is a
// warning on the pod.
func (r *restorer) addInitHooks(obj *unstructured.Unstructured) {
	var pod corev1.Pod
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(obj.Object, &pod); err != nil {
		r.rec.Warn(obj.GetNamespace(), "pod %s/%s: reading it for its init-container hooks: %v", obj.GetNamespace(), obj.GetName(), err)
		return
	}
	add, problems := hooks.ForRestoreInit(&pod, r.opts.Hooks)
	for _, p := range problems {
		r.rec.Warn(obj.GetNamespace(), "%s", p)
	}
	if len(add) == 0 {
		return
	}
	inits, _, _ := unstructured.NestedSlice(obj.Object, "spec", "initContainers")
	at := 0
	if len(inits) > 0 {
		if m, ok := inits[0].(map[string]any); ok && m["name"] == podvolume.InitContainerName {
			at = 1
		}
	}
	out := append([]any{}, inits[:at]...)
	for _, c := range add {
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&c)
		if err != nil {
			r.rec.Warn(obj.GetNamespace(), "pod %s/%s: init-container hook %s: %v", obj.GetNamespace(), obj.GetName(), c.Name, err)
			continue
		}
		out = append(out, u)
	}
	out = append(out, inits[at:]...)
	_ = unstructured.SetNestedSlice(obj.Object, out, "spec", "initContainers")
}
