package hooks

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// checkErr checks that err is nil when want is empty, and otherwise lists
// exactly the wanted problems, in order.
func checkErr(t *testing.T, err error, want []string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Errorf("error %v, want none", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	msg := err.Error()
	if n := strings.Count(msg, "hooks.resources["); n != len(want) {
		t.Errorf("error lists %d problems, want %d: %v", n, len(want), err)
	}
	rest := msg
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Errorf("error %q lacks (in order) %q", msg, w)
			return
		}
		rest = rest[i+len(w):]
	}
}

var badSelector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Near"}}}

func TestValidateBackupHooks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hooks *BackupHooks
		want  []string
	}{
		{name: "nil"},
		{name: "valid", hooks: backupSpec},
		{name: "every problem", hooks: &BackupHooks{Resources: []BackupResourceHook{
			{Name: "freeze", LabelSelector: badSelector, Pre: []BackupHookEntry{exec("ok"), {},
				{Exec: &ExecHook{OnError: "Maybe", Timeout: dur(-time.Second)}}}},
			{Post: []BackupHookEntry{exec(""), exec("ok")}},
		}}, want: []string{
			"hooks.resources[0] (freeze): labelSelector does not parse",
			"hooks.resources[0] (freeze).pre[1] has no exec",
			"hooks.resources[0] (freeze).pre[2]: exec.command is empty",
			`hooks.resources[0] (freeze).pre[2]: exec.onError is "Maybe", which is not an on-error mode`,
			"hooks.resources[0] (freeze).pre[2]: exec.timeout is -1s, which is negative",
			"hooks.resources[1].post[0]: exec.command is empty",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkErr(t, ValidateBackupHooks(tc.hooks), tc.want) })
	}
}

func TestValidateRestoreHooks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hooks *RestoreHooks
		want  []string
	}{
		{name: "nil"},
		{name: "valid", hooks: &RestoreHooks{Resources: []RestoreResourceHook{{Name: "ok", PostHooks: []RestoreHookEntry{
			initHook(raw(`{"name":"a","image":"alpine"}`)), restoreExec(RestoreExecHook{Command: []string{"x"}, OnError: OnErrorFail})}}}}},
		{name: "every problem", hooks: &RestoreHooks{Resources: []RestoreResourceHook{
			{Name: "load", LabelSelector: badSelector, PostHooks: []RestoreHookEntry{
				{},
				{Exec: &RestoreExecHook{Command: []string{"x"}}, Init: &InitRestoreHook{}},
				restoreExec(RestoreExecHook{OnError: "Ignore", ExecTimeout: dur(-time.Second), WaitTimeout: dur(-time.Minute)}),
				{Init: &InitRestoreHook{InitContainers: []runtime.RawExtension{raw(`[1]`), raw(`{"name":"a"}`), raw(``)}, Timeout: dur(-time.Hour)}},
			}},
		}}, want: []string{
			"hooks.resources[0] (load): labelSelector does not parse",
			"hooks.resources[0] (load).postHooks[0] has neither exec nor init",
			"hooks.resources[0] (load).postHooks[1] has both exec and init",
			"hooks.resources[0] (load).postHooks[2]: exec.command is empty",
			`hooks.resources[0] (load).postHooks[2]: exec.onError is "Ignore"`,
			"hooks.resources[0] (load).postHooks[2]: exec.execTimeout is -1s, which is negative",
			"hooks.resources[0] (load).postHooks[2]: exec.waitTimeout is -1m0s, which is negative",
			"hooks.resources[0] (load).postHooks[3]: init.initContainers[0] does not decode as a container",
			"hooks.resources[0] (load).postHooks[3]: init.initContainers[1] has no image",
			"hooks.resources[0] (load).postHooks[3]: init.initContainers[2] is empty",
			"hooks.resources[0] (load).postHooks[3]: init.timeout is -1h0m0s, which is negative",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkErr(t, ValidateRestoreHooks(tc.hooks), tc.want) })
	}
}
