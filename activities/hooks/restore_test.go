package hooks

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// postHook is the exec hook ForRestoreExec resolves for testPod with the defaults.
func postHook(name string, command ...string) Hook {
	return Hook{Name: name, Phase: PhasePost, Namespace: "ns", Pod: "db-0", Container: "app", Command: command,
		OnError: OnErrorContinue, Timeout: DefaultTimeout}
}

func restoreExec(x RestoreExecHook) RestoreHookEntry { return RestoreHookEntry{Exec: &x} }

var restoreSpec = &RestoreHooks{Resources: []RestoreResourceHook{
	{Name: "load", IncludedNamespaces: []string{"*"}, PostHooks: []RestoreHookEntry{
		{Init: &InitRestoreHook{}},
		restoreExec(RestoreExecHook{Command: []string{"psql", "-f", "/backup/db.sql"}}),
		restoreExec(RestoreExecHook{Container: "sidecar", Command: []string{"reload"}, OnError: OnErrorFail,
			ExecTimeout: dur(time.Minute), WaitTimeout: dur(5 * time.Minute), WaitForReady: new(true)}),
	}},
	{Name: "elsewhere", IncludedNamespaces: []string{"other"}, PostHooks: []RestoreHookEntry{restoreExec(RestoreExecHook{Command: []string{"no"}})}},
	{Name: "web", LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
		PostHooks: []RestoreHookEntry{restoreExec(RestoreExecHook{Command: []string{"no"}})}},
	{Name: "secrets", IncludedResources: []string{"secrets"}, PostHooks: []RestoreHookEntry{restoreExec(RestoreExecHook{Command: []string{"no"}})}},
	{Name: "last", PostHooks: []RestoreHookEntry{restoreExec(RestoreExecHook{Command: []string{"done"}, WaitForReady: new(false)})}},
}}

func TestForRestoreExec(t *testing.T) {
	const p = "post.hook.restore.velero.io/"
	fromAnnotation := postHook("<from-annotation>", "/bin/true")
	for _, tc := range []struct {
		name        string
		annotations map[string]string
		spec        *RestoreHooks
		want        []Hook
	}{
		{name: "annotation defaults: Continue, 30s, no wait limit", annotations: map[string]string{p + "command": "/bin/true"},
			want: []Hook{fromAnnotation}},
		{name: "every annotation", annotations: map[string]string{p + "command": `["psql","-c","select 1"]`, p + "container": "sidecar",
			p + "on-error": "Fail", p + "exec-timeout": "1m", p + "wait-timeout": "10m", p + "wait-for-ready": "true"},
			want: []Hook{{Name: "<from-annotation>", Phase: PhasePost, Namespace: "ns", Pod: "db-0", Container: "sidecar",
				Command: []string{"psql", "-c", "select 1"}, OnError: OnErrorFail, Timeout: time.Minute, WaitTimeout: 10 * time.Minute, WaitForReady: true}}},
		{name: "wait-for-ready false", annotations: map[string]string{p + "command": "/bin/true", p + "wait-for-ready": "false"},
			want: []Hook{fromAnnotation}},
		{name: "wait-for-ready bad", annotations: map[string]string{p + "command": "/bin/true", p + "wait-for-ready": "yes please"},
			want: []Hook{with(fromAnnotation, func(h *Hook) {
				h.Problem = p + `wait-for-ready is "yes please", which is not a boolean; use true or false`
			})}},
		{name: "exec-timeout bad", annotations: map[string]string{p + "command": "/bin/true", p + "exec-timeout": "1 minute"},
			want: []Hook{with(fromAnnotation, func(h *Hook) { h.Problem = p + `exec-timeout is "1 minute", which is not a duration` })}},
		{name: "wait-timeout bad", annotations: map[string]string{p + "command": "/bin/true", p + "wait-timeout": "-1m"},
			want: []Hook{with(fromAnnotation, func(h *Hook) { h.Problem = p + "wait-timeout is -1m0s, which is negative" })}},
		{name: "on-error bad is Fail", annotations: map[string]string{p + "command": "/bin/true", p + "on-error": "Stop"},
			want: []Hook{with(fromAnnotation, func(h *Hook) { h.OnError, h.Problem = OnErrorFail, p+`on-error is "Stop"` })}},
		{name: "unknown container", annotations: map[string]string{p + "command": "/bin/true", p + "container": "db"},
			want: []Hook{with(fromAnnotation, func(h *Hook) { h.Container, h.Problem = "db", p+`container is "db", which is not a container` })}},
		{name: "annotation beats spec", spec: restoreSpec, annotations: map[string]string{p + "command": "/bin/true"}, want: []Hook{fromAnnotation}},
		{name: "backup annotations are not restore hooks", spec: restoreSpec,
			annotations: map[string]string{"post.hook.backup.velero.io/command": "x"}, want: restoreSpecHooksWant()},
		{name: "spec order and selection", spec: restoreSpec, want: restoreSpecHooksWant()},
		{name: "spec entry with neither exec nor init", spec: &RestoreHooks{Resources: []RestoreResourceHook{{Name: "x", PostHooks: []RestoreHookEntry{{}}}}},
			want: []Hook{with(postHook("x"), func(h *Hook) {
				h.Container, h.Problem = "", "hooks.resources[0] (x).postHooks[0] has neither exec nor init"
			})}},
		{name: "spec problems", spec: &RestoreHooks{Resources: []RestoreResourceHook{{PostHooks: []RestoreHookEntry{restoreExec(RestoreExecHook{
			OnError: "fail", ExecTimeout: dur(-time.Second), WaitTimeout: dur(-time.Minute)})}}}},
			want: []Hook{with(postHook(""), func(h *Hook) {
				h.OnError, h.Problem = OnErrorFail, "hooks.resources[0].postHooks[0]: exec.command is empty|exec.onError is \"fail\"|"+
					"exec.execTimeout is -1s|exec.waitTimeout is -1m0s"
			})}},
		{name: "nil spec"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pod := testPod(tc.annotations)
			pod.Status.Phase = "" // not checked at restore
			checkHooks(t, ForRestoreExec(pod, tc.spec), tc.want)
		})
	}
}

// restoreSpecHooksWant is what restoreSpec gives testPod.
func restoreSpecHooksWant() []Hook {
	return []Hook{
		postHook("load", "psql", "-f", "/backup/db.sql"),
		{Name: "load", Phase: PhasePost, Namespace: "ns", Pod: "db-0", Container: "sidecar", Command: []string{"reload"},
			OnError: OnErrorFail, Timeout: time.Minute, WaitTimeout: 5 * time.Minute, WaitForReady: true},
		postHook("last", "done"),
	}
}
