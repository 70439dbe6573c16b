package podvolumes

import (
	"math"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/workflows"
)

// checkMetrics compares a scrape of the worker and of every node agent
// with the backups and the restore the test made: Velero's server and
// node-agent metrics under Velero's names and labels, Cairn's byte counts,
// and the Temporal SDK's metrics.
func checkMetrics(t *testing.T, s *stack, backups []workflows.BackupResult, restore workflows.RestoreResult) {
	t.Helper()
	server := testbed.Scrape(t, s.metrics)
	n := float64(len(backups))
	last := backups[len(backups)-1]
	want := map[string]float64{
		`velero_backup_attempt_total{schedule=""}`:                                                          n,
		`velero_backup_success_total{schedule=""}`:                                                          n,
		`velero_backup_duration_seconds_count{schedule=""}`:                                                 n,
		`velero_backup_items_total{schedule=""}`:                                                            float64(last.Items),
		`velero_backup_items_errors{schedule=""}`:                                                           0,
		`velero_backup_last_status{schedule=""}`:                                                            1,
		`velero_backup_last_successful_timestamp{schedule=""}`:                                              float64(last.Completed.UnixNano()) / 1e9,
		`velero_backup_tarball_size_bytes{schedule=""}`:                                                     float64(last.ResourceBytes),
		`velero_restore_attempt_total{schedule=""}`:                                                         1,
		`velero_restore_success_total{schedule=""}`:                                                         1,
		`cairn_restore_duration_seconds_count{schedule=""}`:                                                 1,
		`cairn_step_duration_seconds_count{outcome="succeeded",step="BackupResources",workflow="Backup"}`:   n,
		`cairn_step_duration_seconds_count{outcome="succeeded",step="RestoreResources",workflow="Restore"}`: 1,
	}
	expect(t, "the worker", server, want)
	if last.ResourceBytes == 0 {
		t.Error("the backup result has no resource size")
	}
	if server["velero_backup_total"] < n || server["velero_restore_total"] < 1 {
		t.Errorf("velero_backup_total %v, velero_restore_total %v: want at least %v and 1", server["velero_backup_total"], server["velero_restore_total"], n)
	}
	if len(server.Names("temporal_")) == 0 {
		t.Error("the worker exports none of the Temporal SDK's metrics")
	}
	if len(s.agentMetrics) > 0 {
		checkAgentMetrics(t, s, backups, restore)
	}
}

// checkAgentMetrics adds the node agents' counts up over the nodes.
func checkAgentMetrics(t *testing.T, s *stack, backups []workflows.BackupResult, restore workflows.RestoreResult) {
	t.Helper()
	sum := testbed.Samples{}
	for node, addr := range s.agentMetrics {
		for k, v := range testbed.Scrape(t, addr) {
			sum[stripNode(k, node)] += v
		}
	}
	var files, bytes, uploaded, dedup float64
	for _, b := range backups {
		for _, v := range b.PodVolumeBackups {
			files, bytes, uploaded = files+float64(v.Files), bytes+float64(v.Bytes), uploaded+float64(v.BytesUploaded)
			if v.Bytes > v.BytesAdded { // BytesAdded counts the new trees too
				dedup += float64(v.Bytes - v.BytesAdded)
			}
		}
	}
	r := restore.PodVolumeRestores[0]
	n := float64(len(backups))
	expect(t, "the node agents", sum, map[string]float64{
		`podVolume_pod_volume_backup_enqueue_count{}`:                                     n,
		`podVolume_pod_volume_backup_dequeue_count{}`:                                     n,
		`cairn_pod_volume_operations_total{operation_type="backup",outcome="succeeded"}`:  n,
		`cairn_pod_volume_operations_total{operation_type="restore",outcome="succeeded"}`: 1,
		`cairn_pod_volume_files_total{operation_type="backup"}`:                           files,
		`cairn_pod_volume_bytes_total{operation_type="backup"}`:                           bytes,
		`cairn_pod_volume_bytes_uploaded_total{}`:                                         uploaded,
		`cairn_pod_volume_bytes_deduplicated_total{}`:                                     dedup,
		`cairn_pod_volume_files_total{operation_type="restore"}`:                          float64(r.Files),
		`cairn_pod_volume_bytes_total{operation_type="restore"}`:                          float64(r.Bytes),
		`cairn_pod_volume_throughput_bytes_per_second_count{operation_type="restore"}`:    1,
	})
	if dedup < float64(backups[1].PodVolumeBackups[0].Bytes)/2 {
		t.Errorf("deduplicated %v bytes: the unchanged volume's second backup (%d bytes) should be mostly deduplicated", dedup, backups[1].PodVolumeBackups[0].Bytes)
	}
	latency := 0.0
	for k, v := range sum {
		if strings.HasPrefix(k, "podVolume_pod_volume_operation_latency_seconds_count{") {
			latency += v
		}
	}
	if latency != n+1 {
		t.Errorf("podVolume_pod_volume_operation_latency_seconds counts %v operations, want %v", latency, n+1)
	}
}

// stripNode drops node="<node>" from a series so that the agents' series
// add up.
func stripNode(series, node string) string {
	for _, l := range []string{`node="` + node + `",`, `,node="` + node + `"`, `node="` + node + `"`} {
		if strings.Contains(series, l) {
			return strings.Replace(series, l, "", 1)
		}
	}
	return series
}

func expect(t *testing.T, who string, got testbed.Samples, want map[string]float64) {
	t.Helper()
	for k, v := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s export no %s", who, k)
			continue
		}
		if math.Abs(g-v) > 1e-6*math.Max(1, math.Abs(v)) {
			t.Errorf("%s: %s = %v, want %v", who, k, g, v)
		}
	}
}
