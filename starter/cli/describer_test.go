package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

// TestDescribeAlignsAsVelero: in each block of key lines of backup,
// restore and schedule describe, the values start two spaces after the
// block's longest key, as in Velero's output; labels and annotations are
// one pair a line under the first.
func TestDescribeAlignsAsVelero(t *testing.T) {
	t.Setenv("CAIRN_NAMESPACE", "cairn")
	kube := &kubeFlags{}
	var out bytes.Buffer
	cmd := &cobra.Command{}
	cmd.SetOut(&out)
	spec := activities.BackupSpec{IncludedNamespaces: []string{"web"}, Labels: map[string]string{"team": "web", "tier": "prod"}}
	if err := describeBackup(cmd, nil, kube, workflows.BackupResult{Name: "b", Phase: workflows.PhaseCompleted, Spec: spec,
		StorageLocation: "default", TTL: time.Hour, Items: 3, SnapshotID: "abc"}, false); err != nil {
		t.Fatal(err)
	}
	describeRestore(cmd, kube, workflows.RestoreResult{Name: "r", BackupName: "b", Phase: workflows.PhaseCompleted, Total: 2, Created: 2,
		Spec: activities.RestoreSpec{BackupName: "b", Annotations: map[string]string{"why": "drill"}}})
	describeSchedule(cmd, kube, starter.Schedule{Name: "s", Cron: "@daily", Spec: spec})
	got := out.String()
	for _, want := range []string{
		"Name:         b\nNamespace:    cairn\nLabels:       team=web\n              tier=prod\nAnnotations:  <none>\n\nPhase:  Completed\n",
		"\nErrors:    0\nWarnings:  0\n",
		"Namespaces:\n  Included:  web\n  Excluded:  <none>\n",
		"Resources:\n  Included:        *\n  Excluded:        <none>\n  Cluster-scoped:  auto\n",
		"\nLabel selector:  <none>\n\nOr label selector:  <none>\n\nStorage Location:  default\n",
		"\nVelero-Native Snapshot PVs:    auto\nFile System Backup (Default):  auto\n\nTTL:  1h0m0s\n",
		"\nItems backed up:  3\nSnapshot ID:      abc\n",
		"Name:         r\nNamespace:    cairn\nLabels:       <none>\nAnnotations:  why=drill\n\n" +
			"Phase:                       Completed\nTotal items to be restored:  2\nItems restored:              2\n",
		"\nBackup:  b\n", "\nNamespace mappings:  <none>\n",
		"\nExisting Resource Policy:    <none>\nPreserve Service NodePorts:  auto\nRestore PVs:                 auto\n",
		"Name:         s\n", "\nPhase:  Enabled\n\nPaused:  false\n\nSchedule:  @daily\n\nBackup Template:\n  Namespaces:\n    Included:  web\n",
		"\n  Label selector:  <none>\n", "\n  Storage Location:  <default>\n", "\n  TTL:  720h0m0s\n",
		"\nCreated:      <none>\nLast Backup:  <none>\nRunning:      0\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("describe lacks\n%s\nin\n%s", want, got)
		}
	}
}
