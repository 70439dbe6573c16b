package hooks

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// ForRestoreInit returns the init containers to add to pod at restore
// (annotation hook: one container from container-image/container-name/
// command, command parsed like exec commands; else the spec's applicable
// init hooks' containers in order), and problems as strings (bad
// annotation, a container that does not decode). A container with a
// problem, or whose name the pod or an earlier hook container already
// has, is left out. Without container-image the other init annotations
// are ignored, with a problem, and the spec applies. An annotation
// container without container-name is named, as in Velero,
// "velero-restore-init-<8 hex digits>" (here a hash of image and command).
func ForRestoreInit(pod *corev1.Pod, spec *RestoreHooks) ([]corev1.Container, []string) {
	if pod == nil {
		return nil, nil
	}
	r := &resolver{pod: pod}
	names := takenNames(pod)
	if c, found := initFromAnnotations(r, names); found {
		return c, r.problems
	}
	return initFromSpec(r, spec, names), r.problems
}

// initFromAnnotations returns the init container the pod's annotations
// give, and whether they give one.
func initFromAnnotations(r *resolver, names nameSet) ([]corev1.Container, bool) {
	a := annotations{values: r.pod.Annotations, prefix: restoreInitPrefix}
	image := strings.TrimSpace(a.get(keyInitImage))
	if image == "" {
		if strings.TrimSpace(a.get(keyInitName)) != "" || strings.TrimSpace(a.get(keyCommand)) != "" {
			r.add(a.where(keyInitImage), "is missing, so the other "+restoreInitPrefix+
				" annotations are ignored; set it to the init container's image")
		}
		return nil, false
	}
	before := len(r.problems)
	c := corev1.Container{Name: strings.TrimSpace(a.get(keyInitName)), Image: image}
	if v := a.get(keyCommand); strings.TrimSpace(v) != "" {
		c.Command = r.command(v, a.where(keyCommand))
	}
	if c.Name == "" {
		c.Name = generatedInitName(image, c.Command)
	}
	names.claim(r, c.Name, a.where(keyInitName))
	if len(r.problems) > before {
		return nil, true
	}
	return []corev1.Container{c}, true
}

// initFromSpec returns the init containers of the spec's init hooks that
// apply to the pod, in order.
func initFromSpec(r *resolver, spec *RestoreHooks, names nameSet) []corev1.Container {
	if spec == nil {
		return nil
	}
	var out []corev1.Container
	for i, rh := range spec.Resources {
		ok, selErr := rh.selector().applies(r.pod)
		if !ok {
			continue
		}
		for j, e := range rh.PostHooks {
			if e.Init == nil {
				continue
			}
			at := entryRef{name: rh.Name, phase: PhasePost, path: fmt.Sprintf("%s.postHooks[%d]", resourcePath(i, rh.Name), j)}
			if at.selector(r, selErr); selErr == nil {
				out = append(out, initContainers(r, at, e.Init, names)...)
			}
		}
	}
	return out
}

// initContainers decodes one init hook's containers, leaving out and
// recording those with a problem.
func initContainers(r *resolver, at entryRef, init *InitRestoreHook, names nameSet) []corev1.Container {
	var out []corev1.Container
	for k, raw := range init.InitContainers {
		where := at.field(fmt.Sprintf("init.initContainers[%d]", k))
		c, problem := decodeInitContainer(raw)
		r.add(where, problem)
		if problem == "" && names.claim(r, c.Name, where) {
			out = append(out, c)
		}
	}
	return out
}

// decodeInitContainer decodes a spec's init container, which must have a
// name and an image.
func decodeInitContainer(raw runtime.RawExtension) (corev1.Container, string) {
	var c corev1.Container
	data := raw.Raw
	if len(data) == 0 && raw.Object != nil {
		var err error
		if data, err = json.Marshal(raw.Object); err != nil {
			return c, fmt.Sprintf("does not encode as JSON (%v); give a container object", err)
		}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return c, "is empty; give a container object with a name and an image"
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Sprintf("does not decode as a container (%v); give a container object with a name and an image", err)
	}
	return c, missingFields(c)
}

// missingFields says which of name and image c lacks, or is "".
func missingFields(c corev1.Container) string {
	var missing []string
	if strings.TrimSpace(c.Name) == "" {
		missing = append(missing, "name")
	}
	if strings.TrimSpace(c.Image) == "" {
		missing = append(missing, "image")
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("has no %s; give the init container a name and an image", strings.Join(missing, " and "))
}

// generatedInitName names an annotation init container without a name.
func generatedInitName(image string, command []string) string {
	sum := sha256.Sum256([]byte(image + "\x00" + strings.Join(command, "\x00")))
	return "velero-restore-init-" + hex.EncodeToString(sum[:4])
}

// nameSet holds the container names a pod already has.
type nameSet map[string]bool

// takenNames is the names of the pod's containers and init containers.
func takenNames(pod *corev1.Pod) nameSet {
	names := nameSet{}
	for _, c := range pod.Spec.InitContainers {
		names[c.Name] = true
	}
	for _, c := range pod.Spec.Containers {
		names[c.Name] = true
	}
	return names
}

// claim adds name, or records (at where) that the pod already has it.
func (s nameSet) claim(r *resolver, name, where string) bool {
	if s[name] {
		r.add(where, fmt.Sprintf("names container %q, which the pod already has; give the init container another name", name))
		return false
	}
	s[name] = true
	return true
}
