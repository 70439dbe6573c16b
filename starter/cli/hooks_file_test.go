package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/hooks"
)

// TestHooksFileBadInput checks that a hooks file that cannot be read, has
// unknown fields or holds invalid hooks stops backup, schedule and restore
// creation before they reach Temporal, naming the problem.
func TestHooksFileBadInput(t *testing.T) {
	t.Setenv("CAIRN_TEMPORAL_ADDRESS", "127.0.0.1:1") // nothing listens: any dial would fail differently
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	typo := file("typo.yaml", "resources:\n  - name: freeze\n    pre:\n      - exec: {command: [fsfreeze], onErorr: Fail}\n")
	badOnError := file("onerror.yaml", "resources:\n  - name: freeze\n    pre:\n      - exec: {command: [fsfreeze], onError: Sometimes}\n")
	empty := file("empty.yaml", "resources:\n  - name: thaw\n    post:\n      - exec: {command: []}\n")
	noImage := file("init.yaml", "resources:\n  - name: wait\n    postHooks:\n      - init: {initContainers: [{name: wait}]}\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"backup", "create", "b", "--hooks-file", filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{[]string{"backup", "create", "b", "--hooks-file", typo}, "onErorr"},
		{[]string{"backup", "create", "b", "--hooks-file", badOnError}, "Sometimes"},
		{[]string{"schedule", "create", "s", "--schedule", "@daily", "--hooks-file", empty}, "hooks.resources[0] (thaw)"},
		{[]string{"restore", "create", "--from-backup", "b", "--hooks-file", noImage}, "image"},
	} {
		code, out, errOut := cairn(t, c.args...)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("cairn %s: exit %d, %s%s; want an error with %q", strings.Join(c.args, " "), code, out, errOut, c.want)
		}
	}
}

// TestBackupFlagsCarryHooks checks that the spec the backup flags give,
// which `schedule create` stores as its template, holds the hooks of
// --hooks-file.
func TestBackupFlagsCarryHooks(t *testing.T) {
	p := filepath.Join(t.TempDir(), "hooks.yaml")
	if err := os.WriteFile(p, []byte("resources:\n  - name: freeze\n    includedNamespaces: [db]\n    pre:\n      - exec: {container: pg, command: [psql, -c, CHECKPOINT], timeout: 1m}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := pflag.NewFlagSet("schedule create", pflag.ContinueOnError)
	b := addBackupFlags(f, "the scheduled backups")
	if err := f.Parse([]string{"--hooks-file", p}); err != nil {
		t.Fatal(err)
	}
	spec, err := b.Spec()
	if err != nil {
		t.Fatal(err)
	}
	var want hooks.BackupHooks
	want.Resources = []hooks.BackupResourceHook{{Name: "freeze", IncludedNamespaces: []string{"db"},
		Pre: []hooks.BackupHookEntry{{Exec: &hooks.ExecHook{Container: "pg", Command: []string{"psql", "-c", "CHECKPOINT"},
			Timeout: metav1.Duration{Duration: time.Minute}}}}}}
	if !reflect.DeepEqual(spec.Hooks, &want) {
		t.Errorf("spec hooks %+v, want %+v", spec.Hooks, want)
	}
	if !b.changed(f) {
		t.Error("--hooks-file does not count as a backup flag, so --from-schedule would accept it")
	}
}
