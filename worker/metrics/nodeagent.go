package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/interceptor"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// Operations, the values of Cairn's operation label on pod volume metrics.
const (
	opBackup  = "backup"
	opRestore = "restore"
)

// NodeAgent holds the metrics of one node agent: Velero's node-agent
// metrics (podVolume_*) and Cairn's bytes, files, throughput and queue per
// pod volume operation. Velero's data mover counters
// (podVolume_data_upload_*, podVolume_data_download_*) are registered and
// stay without series: Cairn moves no CSI snapshot data.
type NodeAgent struct {
	node         string
	enqueued     *prometheus.CounterVec
	dequeued     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	latencyGauge *prometheus.GaugeVec
	operations   *prometheus.CounterVec
	bytesRead    *prometheus.CounterVec
	uploaded     *prometheus.CounterVec
	deduplicated *prometheus.CounterVec
	files        *prometheus.CounterVec
	throughput   *prometheus.HistogramVec
	inFlight     *prometheus.GaugeVec
}

// NewNodeAgent registers node's metrics on reg.
func NewNodeAgent(reg prometheus.Registerer, node string) *NodeAgent {
	opLabels := []string{nodeLabel, operationLabel, backupNameLabel, pvbLabel}
	a := &NodeAgent{
		node:         node,
		enqueued:     counterVec(reg, "podVolume_pod_volume_backup_enqueue_count", "Pod volume backups this node agent started.", nodeLabel),
		dequeued:     counterVec(reg, "podVolume_pod_volume_backup_dequeue_count", "Pod volume backups this node agent finished.", nodeLabel),
		latency:      histogramVec(reg, "podVolume_pod_volume_operation_latency_seconds", "Time taken to complete pod volume operations, in seconds.", veleroBuckets, opLabels...),
		latencyGauge: gaugeVec(reg, "podVolume_pod_volume_operation_latency_seconds_gauge", "Time taken, in seconds, by the last run of each pod volume operation.", opLabels...),
		operations:   counterVec(reg, "cairn_pod_volume_operations_total", "Pod volume backups and restores finished, by outcome.", nodeLabel, "operation_type", "outcome"),
		bytesRead:    counterVec(reg, "cairn_pod_volume_bytes_total", "Bytes of file content backed up (read) or restored (written).", nodeLabel, "operation_type"),
		uploaded:     counterVec(reg, "cairn_pod_volume_bytes_uploaded_total", "Bytes of new packs pod volume backups uploaded (compressed and encrypted).", nodeLabel),
		deduplicated: counterVec(reg, "cairn_pod_volume_bytes_deduplicated_total", "Bytes of file content pod volume backups found already stored.", nodeLabel),
		files:        counterVec(reg, "cairn_pod_volume_files_total", "Files backed up or restored.", nodeLabel, "operation_type"),
		throughput:   histogramVec(reg, "cairn_pod_volume_throughput_bytes_per_second", "Bytes of file content per second of each pod volume operation.", throughputBuckets, nodeLabel, "operation_type"),
		inFlight:     gaugeVec(reg, "cairn_node_agent_volumes_in_progress", "Pod volume operations this node agent works on now.", nodeLabel, "operation_type"),
	}
	for _, name := range []string{"podVolume_data_upload_success_total", "podVolume_data_upload_failure_total", "podVolume_data_upload_cancel_total",
		"podVolume_data_download_success_total", "podVolume_data_download_failure_total", "podVolume_data_download_cancel_total"} {
		counterVec(reg, name, "CSI snapshot data movements (Cairn moves none: it backs volumes up from the file system).", nodeLabel)
	}
	return a
}

// throughputBuckets are 1 MiB/s to 4 GiB/s, doubling.
var throughputBuckets = prometheus.ExponentialBuckets(1<<20, 2, 13)

// Interceptor observes the node agent's pod volume activities for a.
func (a *NodeAgent) Interceptor() interceptor.WorkerInterceptor { return &agentInterceptor{a: a} }

type agentInterceptor struct {
	interceptor.WorkerInterceptorBase
	a *NodeAgent
}

func (i *agentInterceptor) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &volumeWatcher{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}, a: i.a}
}

type volumeWatcher struct {
	interceptor.ActivityInboundInterceptorBase
	a *NodeAgent
}

func (w *volumeWatcher) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	op := operation(in.Args)
	if op == "" {
		return w.Next.ExecuteActivity(ctx, in)
	}
	w.a.started(op)
	start := time.Now()
	res, err := w.Next.ExecuteActivity(ctx, in)
	w.a.finished(op, in.Args[0], res, err, time.Since(start))
	return res, err
}

// operation is the pod volume operation of an activity's arguments, or ""
// for another activity.
func operation(args []any) string {
	if len(args) != 1 {
		return ""
	}
	switch args[0].(type) {
	case activities.BackupPodVolumeInput:
		return opBackup
	case activities.RestorePodVolumeInput:
		return opRestore
	}
	return ""
}

func (a *NodeAgent) started(op string) {
	a.inFlight.WithLabelValues(a.node, op).Inc()
	if op == opBackup {
		a.enqueued.WithLabelValues(a.node).Inc()
	}
}

// finished records one operation from its input and result.
func (a *NodeAgent) finished(op string, in, res any, err error, d time.Duration) {
	a.inFlight.WithLabelValues(a.node, op).Dec()
	a.operations.WithLabelValues(a.node, op, outcome(err != nil)).Inc()
	if op == opBackup {
		a.dequeued.WithLabelValues(a.node).Inc()
	}
	name, pvb, location := volumeNames(in)
	opName := pvb + "-" + location + "-" + op
	a.latency.WithLabelValues(a.node, opName, name, pvb).Observe(d.Seconds())
	a.latencyGauge.WithLabelValues(a.node, opName, name, pvb).Set(d.Seconds())
	if err != nil {
		return
	}
	files, bytes := a.volumeResult(res)
	a.files.WithLabelValues(a.node, op).Add(float64(files))
	a.bytesRead.WithLabelValues(a.node, op).Add(float64(bytes))
	if s := d.Seconds(); s > 0 {
		a.throughput.WithLabelValues(a.node, op).Observe(float64(bytes) / s)
	}
}

// volumeResult adds a backup's upload and deduplication counts and returns
// the files and bytes of either kind of result.
func (a *NodeAgent) volumeResult(res any) (files, bytes uint64) {
	switch r := res.(type) {
	case metadata.PodVolumeBackup:
		a.uploaded.WithLabelValues(a.node).Add(float64(r.BytesUploaded))
		if r.Bytes > r.BytesAdded {
			a.deduplicated.WithLabelValues(a.node).Add(float64(r.Bytes - r.BytesAdded))
		}
		return r.Files, r.Bytes
	case activities.PodVolumeRestoreResult:
		return r.Files, r.Bytes
	}
	return 0, 0
}

// volumeNames are the backup (or restore), the pod volume
// ("<namespace>/<pod>/<volume>") and the location of an operation's input.
func volumeNames(in any) (name, pvb, location string) {
	switch v := in.(type) {
	case activities.BackupPodVolumeInput:
		return v.Backup, v.Volume.Namespace + "/" + v.Volume.Pod + "/" + v.Volume.Volume, v.StorageLocation
	case activities.RestorePodVolumeInput:
		return v.Restore, v.Volume.Namespace + "/" + v.Volume.Pod + "/" + v.Volume.Volume, v.StorageLocation
	}
	return "", "", ""
}
