package hooks

import (
	"reflect"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// preHook is the hook ForBackup resolves for testPod with the defaults.
func preHook(name string, command ...string) Hook {
	return Hook{Name: name, Phase: PhasePre, Namespace: "ns", Pod: "db-0", Container: "app", Command: command,
		OnError: OnErrorFail, Timeout: DefaultTimeout}
}

// with returns h changed by f.
func with(h Hook, f func(*Hook)) Hook { f(&h); return h }

func exec(command ...string) BackupHookEntry {
	return BackupHookEntry{Exec: &ExecHook{Command: command}}
}

func dur(d time.Duration) metav1.Duration { return metav1.Duration{Duration: d} }

// checkHooks compares hooks field by field; a wanted Problem holds the
// parts the problem must contain, separated by "|".
func checkHooks(t *testing.T, got, want []Hook) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d hooks %+v, want %d %+v", len(got), got, len(want), want)
	}
	for i := range want {
		g, w := got[i], want[i]
		checkProblem(t, g.Problem, w.Problem)
		g.Problem, w.Problem = "", ""
		if !reflect.DeepEqual(g, w) {
			t.Errorf("hook %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

var backupSpec = &BackupHooks{Resources: []BackupResourceHook{
	{Name: "freeze", IncludedNamespaces: []string{"ns"}, IncludedResources: []string{"pods"},
		Pre:  []BackupHookEntry{exec("/sbin/fsfreeze", "--freeze", "/data"), exec("sync")},
		Post: []BackupHookEntry{exec("/sbin/fsfreeze", "--unfreeze", "/data")}},
	{Name: "other-namespace", IncludedNamespaces: []string{"other"}, Pre: []BackupHookEntry{exec("no")}},
	{Name: "excluded", ExcludedNamespaces: []string{"ns"}, Pre: []BackupHookEntry{exec("no")}},
	{Name: "web", LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, Pre: []BackupHookEntry{exec("no")}},
	{Name: "deployments", IncludedResources: []string{"deployments"}, Pre: []BackupHookEntry{exec("no")}},
	{Name: "no-pods", ExcludedResources: []string{"pods"}, Pre: []BackupHookEntry{exec("no")}},
	{Name: "last", LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
		Pre: []BackupHookEntry{{Exec: &ExecHook{Container: "sidecar", Command: []string{"flush"}, OnError: OnErrorContinue, Timeout: dur(10 * time.Second)}}}},
}}

func TestForBackup(t *testing.T) {
	fromAnnotation := preHook("<from-annotation>", "/bin/sync")
	for _, tc := range []struct {
		name        string
		annotations map[string]string
		spec        *BackupHooks
		phase       string
		podPhase    corev1.PodPhase
		want        []Hook
	}{
		{name: "annotation defaults", annotations: map[string]string{"pre.hook.backup.velero.io/command": "/bin/sync"},
			want: []Hook{fromAnnotation}},
		{name: "every annotation", phase: PhasePost, annotations: map[string]string{
			"post.hook.backup.velero.io/container": "sidecar", "post.hook.backup.velero.io/command": `["/bin/sh", "-c", "echo done"]`,
			"post.hook.backup.velero.io/on-error": "Continue", "post.hook.backup.velero.io/timeout": "2m"},
			want: []Hook{{Name: "<from-annotation>", Phase: PhasePost, Namespace: "ns", Pod: "db-0", Container: "sidecar",
				Command: []string{"/bin/sh", "-c", "echo done"}, OnError: OnErrorContinue, Timeout: 2 * time.Minute}}},
		{name: "zero timeout is the default", annotations: map[string]string{"pre.hook.backup.velero.io/command": "/bin/sync",
			"pre.hook.backup.velero.io/timeout": "0s"}, want: []Hook{fromAnnotation}},
		{name: "native sidecar container", annotations: map[string]string{"pre.hook.backup.velero.io/command": "/bin/sync",
			"pre.hook.backup.velero.io/container": "proxy"}, want: []Hook{with(fromAnnotation, func(h *Hook) { h.Container = "proxy" })}},
		{name: "post annotation is not a pre hook", annotations: map[string]string{"post.hook.backup.velero.io/command": "x"}},
		{name: "legacy annotation is a pre hook", annotations: map[string]string{"hook.backup.velero.io/command": "/bin/sync",
			"hook.backup.velero.io/timeout": "5s"}, want: []Hook{with(fromAnnotation, func(h *Hook) { h.Timeout = 5 * time.Second })}},
		{name: "legacy annotation is not a post hook", phase: PhasePost, annotations: map[string]string{"hook.backup.velero.io/command": "x"}},
		{name: "phased annotation beats legacy", annotations: map[string]string{"hook.backup.velero.io/command": "old",
			"pre.hook.backup.velero.io/command": "/bin/sync"}, want: []Hook{fromAnnotation}},
		{name: "annotation beats spec", spec: backupSpec, annotations: map[string]string{"pre.hook.backup.velero.io/command": "/bin/sync"},
			want: []Hook{fromAnnotation}},
		{name: "post annotation leaves the spec's pre hooks", spec: backupSpec,
			annotations: map[string]string{"post.hook.backup.velero.io/command": "x"}, want: specPre()},
		{name: "empty command annotation is no hook", spec: backupSpec,
			annotations: map[string]string{"pre.hook.backup.velero.io/command": ""}, want: specPre()},
		{name: "spec order and selection", spec: backupSpec, want: specPre()},
		{name: "spec post hooks", spec: backupSpec, phase: PhasePost, want: []Hook{with(preHook("freeze", "/sbin/fsfreeze", "--unfreeze", "/data"),
			func(h *Hook) { h.Phase = PhasePost })}},
		{name: "nil spec", want: nil},
		{name: "unknown phase", phase: "during", annotations: map[string]string{"during.hook.backup.velero.io/command": "x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pod := testPod(tc.annotations)
			if tc.podPhase != "" {
				pod.Status.Phase = tc.podPhase
			}
			phase := tc.phase
			if phase == "" {
				phase = PhasePre
			}
			checkHooks(t, ForBackup(pod, tc.spec, phase), tc.want)
		})
	}
}

// specPre is what backupSpec gives testPod before the backup.
func specPre() []Hook {
	return []Hook{
		preHook("freeze", "/sbin/fsfreeze", "--freeze", "/data"),
		preHook("freeze", "sync"),
		{Name: "last", Phase: PhasePre, Namespace: "ns", Pod: "db-0", Container: "sidecar", Command: []string{"flush"},
			OnError: OnErrorContinue, Timeout: 10 * time.Second},
	}
}

func TestForBackupProblems(t *testing.T) {
	const cmd = "pre.hook.backup.velero.io/command"
	badSelector := &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Near"}}}
	for _, tc := range []struct {
		name        string
		annotations map[string]string
		entry       BackupHookEntry
		selector    *metav1.LabelSelector
		podPhase    corev1.PodPhase
		want        Hook
	}{
		{name: "unknown container", annotations: map[string]string{cmd: "sync", "pre.hook.backup.velero.io/container": "nope"},
			want: with(preHook("<from-annotation>", "sync"), func(h *Hook) {
				h.Container, h.Problem = "nope", `annotation pre.hook.backup.velero.io/container is "nope"|its containers: app, sidecar, proxy|name one of them`
			})},
		{name: "init container is not a hook container", annotations: map[string]string{cmd: "sync", "pre.hook.backup.velero.io/container": "setup"},
			want: with(preHook("<from-annotation>", "sync"), func(h *Hook) { h.Container, h.Problem = "setup", `"setup", which is not a container` })},
		{name: "empty command", annotations: map[string]string{cmd: "[]"},
			want: with(preHook("<from-annotation>"), func(h *Hook) { h.Command, h.Problem = []string{}, cmd+" is empty|give the executable" })},
		{name: "JSON that does not parse", annotations: map[string]string{cmd: `["sync"`},
			want: with(preHook("<from-annotation>"), func(h *Hook) { h.Problem = cmd + ` is "[\"sync\""|not a JSON array of strings|write it as` })},
		{name: "bad timeout", annotations: map[string]string{cmd: "sync", "pre.hook.backup.velero.io/timeout": "soon"},
			want: with(preHook("<from-annotation>", "sync"), func(h *Hook) {
				h.Problem = `annotation pre.hook.backup.velero.io/timeout is "soon", which is not a duration|such as 30s`
			})},
		{name: "negative timeout", annotations: map[string]string{cmd: "sync", "pre.hook.backup.velero.io/timeout": "-5s"},
			want: with(preHook("<from-annotation>", "sync"), func(h *Hook) { h.Problem = "timeout is -5s, which is negative" })},
		{name: "bad on-error is Fail", annotations: map[string]string{cmd: "sync", "pre.hook.backup.velero.io/on-error": "continue"},
			want: with(preHook("<from-annotation>", "sync"), func(h *Hook) {
				h.Problem = `annotation pre.hook.backup.velero.io/on-error is "continue", which is not an on-error mode; use Fail or Continue`
			})},
		{name: "pod not running", annotations: map[string]string{cmd: "sync"}, podPhase: corev1.PodPending,
			want: with(preHook("<from-annotation>", "sync"), func(h *Hook) { h.Problem = "pod ns/db-0 is Pending, not Running" })},
		{name: "pod without phase", annotations: map[string]string{cmd: "sync"}, podPhase: "none",
			want: with(preHook("<from-annotation>", "sync"), func(h *Hook) { h.Problem = "pod ns/db-0 is without a phase, not Running" })},
		{name: "not running and a bad value", annotations: map[string]string{cmd: "sync", "pre.hook.backup.velero.io/on-error": "x"},
			podPhase: corev1.PodSucceeded, want: with(preHook("<from-annotation>", "sync"), func(h *Hook) {
				h.Problem = "pod ns/db-0 is Succeeded, not Running; pod ns/db-0, annotation pre.hook.backup.velero.io/on-error"
			})},
		{name: "spec unknown container", entry: BackupHookEntry{Exec: &ExecHook{Container: "db", Command: []string{"sync"}}},
			want: with(preHook("spec", "sync"), func(h *Hook) {
				h.Container, h.Problem = "db", `hooks.resources[0] (spec).pre[0]: exec.container is "db"|its containers`
			})},
		{name: "spec empty command", entry: exec(),
			want: with(preHook("spec"), func(h *Hook) { h.Problem = "hooks.resources[0] (spec).pre[0]: exec.command is empty" })},
		{name: "spec negative timeout", entry: BackupHookEntry{Exec: &ExecHook{Command: []string{"sync"}, Timeout: dur(-time.Second)}},
			want: with(preHook("spec", "sync"), func(h *Hook) { h.Problem = "hooks.resources[0] (spec).pre[0]: exec.timeout is -1s, which is negative" })},
		{name: "spec bad on-error", entry: BackupHookEntry{Exec: &ExecHook{Command: []string{"sync"}, OnError: "Retry"}},
			want: with(preHook("spec", "sync"), func(h *Hook) { h.Problem = `(spec).pre[0]: exec.onError is "Retry"|use Fail or Continue` })},
		{name: "spec without exec", entry: BackupHookEntry{},
			want: with(preHook("spec"), func(h *Hook) { h.Command, h.Container, h.Problem = nil, "", "(spec).pre[0] has no exec" })},
		{name: "spec bad label selector", entry: exec("sync"), selector: badSelector,
			want: with(preHook("spec", "sync"), func(h *Hook) { h.Problem = "hooks.resources[0] (spec).pre[0] has a labelSelector that does not parse" })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pod := testPod(tc.annotations)
			if tc.podPhase != "" {
				pod.Status.Phase = tc.podPhase
			}
			if pod.Status.Phase == "none" {
				pod.Status.Phase = ""
			}
			spec := &BackupHooks{Resources: []BackupResourceHook{{Name: "spec", LabelSelector: tc.selector, Pre: []BackupHookEntry{tc.entry}}}}
			checkHooks(t, ForBackup(pod, spec, PhasePre), []Hook{tc.want})
		})
	}
}
