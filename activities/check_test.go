package activities_test

import (
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/activities"
)

// TestChecks: the checks that ValidateBackup and ValidateRestore run
// first, and the CLI before it submits, name each problem's field.
func TestChecks(t *testing.T) {
	if errs := activities.CheckBackup("nightly.2026-01", activities.BackupSpec{TTL: "72h", Labels: map[string]string{"team": "web"}}); len(errs) > 0 {
		t.Errorf("a good backup: %v", errs)
	}
	if errs := activities.CheckRestore("r", activities.RestoreSpec{BackupName: "b", NamespaceMappings: map[string]string{"a": "b"},
		ExistingResourcePolicy: "update"}); len(errs) > 0 {
		t.Errorf("a good restore: %v", errs)
	}
	for what, c := range map[string]struct {
		got  error
		want []string
	}{
		"backup": {activities.CheckBackup(strings.Repeat("x", 64), activities.BackupSpec{TTL: "-1s", Annotations: map[string]string{"/": ""}}).ToAggregate(),
			[]string{"Name: Invalid value:", "64 characters; at most 63", `Spec.TTL: Invalid value: "-1s": negative`, "Spec.Annotations: Invalid value:"}},
		"restore": {activities.CheckRestore("", activities.RestoreSpec{ExistingResourcePolicy: "x", NamespaceMappings: map[string]string{"a": "B"},
			ExcludedNamespaces: []string{"*"}}).ToAggregate(),
			[]string{"Name: Required value", "Spec.BackupName: Required value", `Spec.ExistingResourcePolicy: Unsupported value: "x"`,
				`Spec.NamespaceMappings: Invalid value: a:B: "B" is not a namespace name`, `Spec.ExcludedNamespaces: Invalid value: "*"`}},
	} {
		for _, want := range c.want {
			if c.got == nil || !strings.Contains(c.got.Error(), want) {
				t.Errorf("%s: %v\nlacks %q", what, c.got, want)
			}
		}
	}
}
