package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The maintenance metrics are served per repository under Velero's names
// and Cairn's.
func TestMaintenanceMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewServer(reg)
	at := time.Unix(1767225600, 0)
	m.MaintenanceDone("app-default-restic", true, 3*time.Second, 1<<20, at)
	m.MaintenanceDone("app-default-restic", false, time.Second, 0, at.Add(time.Hour))
	m.MaintenanceDone("cairn.resources-default-restic", true, time.Second, 10, at)
	body := scrape(t, reg)
	for _, want := range []string{
		`velero_repo_maintenance_success_total{repository_name="app-default-restic"} 1`,
		`velero_repo_maintenance_failure_total{repository_name="app-default-restic"} 1`,
		`velero_repo_maintenance_failure_total{repository_name="cairn.resources-default-restic"} 0`,
		`velero_repo_maintenance_duration_seconds_count{repository_name="app-default-restic"} 2`,
		`velero_repo_maintenance_duration_seconds_sum{repository_name="app-default-restic"} 4`,
		`cairn_repo_maintenance_bytes_removed_total{repository_name="app-default-restic"} 1.048576e+06`,
		`cairn_repo_maintenance_last_success_timestamp_seconds{repository_name="app-default-restic"} 1.7672256e+09`,
	} {
		if !strings.Contains(string(body), want+"\n") {
			t.Errorf("no %s in\n%s", want, grepMaintenance(string(body)))
		}
	}
}

func grepMaintenance(body string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, "maintenance") && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
