package metrics

// Velero's label names.
const (
	scheduleLabel   = "schedule"
	locationLabel   = "backup_location_name"
	repositoryLabel = "repository_name"
	nodeLabel       = "node"
	operationLabel  = "operation"
	backupNameLabel = "backupName"
	pvbLabel        = "pod_volume_backup"
)

// veleroBuckets are the buckets, in seconds, of Velero's duration
// histograms: 1m, 5m, 10m, 15m, 30m, 1h, 2h, 3h and 4h.
var veleroBuckets = []float64{60, 300, 600, 900, 1800, 3600, 7200, 10800, 14400}

// stepBuckets are the buckets of Cairn's step durations: 100 ms to about
// 3.6 hours, doubling.
var stepBuckets = []float64{0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2, 102.4, 204.8, 409.6, 819.2, 1638.4, 3276.8, 6553.6, 13107.2}
