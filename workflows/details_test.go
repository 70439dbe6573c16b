package workflows

import (
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/activities"
)

// The details are a Markdown table of the whole spec, with pipes escaped.
func TestDetails(t *testing.T) {
	yes := true
	b := BackupDetails("b1", "daily", activities.BackupSpec{IncludedNamespaces: []string{"a", "b"}, LabelSelector: "app in (x|y)",
		DefaultVolumesToFsBackup: &yes})
	for _, want := range []string{"**Backup** `b1`", "| Namespaces | a, b |", `| Selector | app in (x\|y) |`, "| Schedule | daily |",
		"| Pod volumes by default | yes |", "| Location | (default) |", "cairn backup logs b1"} {
		if !strings.Contains(b, want) {
			t.Errorf("backup details lack %q:\n%s", want, b)
		}
	}
	r := RestoreDetails("r1", activities.RestoreSpec{BackupName: "b1", NamespaceMappings: map[string]string{"a": "c"}})
	for _, want := range []string{"| From backup | b1 |", "| Namespace mappings | a → c |", "| Namespaces | all |"} {
		if !strings.Contains(r, want) {
			t.Errorf("restore details lack %q:\n%s", want, r)
		}
	}
}
