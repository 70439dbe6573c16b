package hooks

import (
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

func raw(json string) runtime.RawExtension { return runtime.RawExtension{Raw: []byte(json)} }

func initHook(containers ...runtime.RawExtension) RestoreHookEntry {
	return RestoreHookEntry{Init: &InitRestoreHook{InitContainers: containers}}
}

func TestForRestoreInit(t *testing.T) {
	const p = "init.hook.restore.velero.io/"
	spec := &RestoreHooks{Resources: []RestoreResourceHook{
		{Name: "prepare", PostHooks: []RestoreHookEntry{
			initHook(raw(`{"name":"restore-hook-init1","image":"alpine:latest","command":["/bin/ash","-c","echo hi"],
				"volumeMounts":[{"name":"data","mountPath":"/data"}]}`)),
			restoreExec(RestoreExecHook{Command: []string{"x"}}),
			initHook(runtime.RawExtension{Object: &unstructured.Unstructured{Object: map[string]any{"name": "from-object", "image": "busybox"}}}),
		}},
		{Name: "web", LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			PostHooks: []RestoreHookEntry{initHook(raw(`{"name":"no","image":"no"}`))}},
		{Name: "bad", PostHooks: []RestoreHookEntry{initHook(raw(`{"name":1}`), raw(`{"image":"x"}`), raw(`{"name":"app","image":"x"}`),
			raw(`{"name":"last","image":"busybox"}`))}},
	}}
	fromSpec := []corev1.Container{
		{Name: "restore-hook-init1", Image: "alpine:latest", Command: []string{"/bin/ash", "-c", "echo hi"},
			VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/data"}}},
		{Name: "from-object", Image: "busybox"},
		{Name: "last", Image: "busybox"},
	}
	specProblems := []string{
		"hooks.resources[2] (bad).postHooks[0]: init.initContainers[0] does not decode as a container",
		"init.initContainers[1] has no name; give the init container a name and an image",
		`init.initContainers[2] names container "app", which the pod already has`,
	}
	for _, tc := range []struct {
		name        string
		annotations map[string]string
		spec        *RestoreHooks
		want        []corev1.Container
		problems    []string
	}{
		{name: "annotation", annotations: map[string]string{p + "container-image": "alpine", p + "container-name": "warm",
			p + "command": `["/bin/sh","-c","cp -a /seed/. /data"]`}, spec: spec,
			want: []corev1.Container{{Name: "warm", Image: "alpine", Command: []string{"/bin/sh", "-c", "cp -a /seed/. /data"}}}},
		{name: "annotation plain command and generated name", annotations: map[string]string{p + "container-image": "alpine", p + "command": "/init"},
			want: []corev1.Container{{Name: generatedInitName("alpine", []string{"/init"}), Image: "alpine", Command: []string{"/init"}}}},
		{name: "annotation without command runs the entrypoint", annotations: map[string]string{p + "container-image": "alpine", p + "container-name": "warm"},
			want: []corev1.Container{{Name: "warm", Image: "alpine"}}},
		{name: "annotation bad command", annotations: map[string]string{p + "container-image": "alpine", p + "command": "[oops"}, spec: spec,
			problems: []string{p + `command is "[oops", which begins with "[" but is not a JSON array`}},
		{name: "annotation name taken", annotations: map[string]string{p + "container-image": "alpine", p + "container-name": "setup"},
			problems: []string{p + `container-name names container "setup", which the pod already has`}},
		{name: "annotation without image falls back to the spec", annotations: map[string]string{p + "container-name": "warm"}, spec: spec,
			want: fromSpec, problems: append([]string{p + "container-image is missing"}, specProblems...)},
		{name: "spec in order, bad containers left out", spec: spec, want: fromSpec, problems: specProblems},
		{name: "nothing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, problems := ForRestoreInit(testPod(tc.annotations), tc.spec)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("containers:\n got %+v\nwant %+v", got, tc.want)
			}
			if len(problems) != len(tc.problems) {
				t.Fatalf("problems %q, want %q", problems, tc.problems)
			}
			for i, want := range tc.problems {
				checkProblem(t, problems[i], want)
			}
		})
	}
}

func TestGeneratedInitName(t *testing.T) {
	a, b := generatedInitName("alpine", []string{"/init"}), generatedInitName("alpine", []string{"/other"})
	if a == b || !strings.HasPrefix(a, "velero-restore-init-") || len(a) != len("velero-restore-init-")+8 {
		t.Errorf("names %q and %q", a, b)
	}
	if a != generatedInitName("alpine", []string{"/init"}) {
		t.Errorf("name is not stable")
	}
}
