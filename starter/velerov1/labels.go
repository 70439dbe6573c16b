package velerov1

// The label and annotation keys the velero CLI and server put on, and read
// from, Velero's objects and the cluster's: Cairn writes and reads the same
// ones, under the same Go names as Velero's API package.
const (
	// BackupNameLabel, on a Restore, PodVolumeBackup, DeleteBackupRequest or restored object, names its backup.
	BackupNameLabel = "velero.io/backup-name"
	// BackupUIDLabel carries the UID of that backup.
	BackupUIDLabel = "velero.io/backup-uid"
	// RestoreNameLabel, on a restored object or a PodVolumeRestore, names its restore.
	RestoreNameLabel = "velero.io/restore-name"
	// RestoreUIDLabel carries the UID of that restore.
	RestoreUIDLabel = "velero.io/restore-uid"
	// ScheduleNameLabel, on a Backup, names the schedule that created it.
	ScheduleNameLabel = "velero.io/schedule-name"
	// StorageLocationLabel, on a Backup, names its BackupStorageLocation.
	StorageLocationLabel = "velero.io/storage-location"
	// PodUIDLabel, on a PodVolumeBackup or PodVolumeRestore, is the UID of its pod.
	PodUIDLabel = "velero.io/pod-uid"
	// PVCUIDLabel is the UID of the PVC a volume operation is for.
	PVCUIDLabel = "velero.io/pvc-uid"
	// PVCNamespaceNameLabel is the namespace/name of the PVC a volume operation is for.
	PVCNamespaceNameLabel = "velero.io/pvc-namespace-name"
	// PVCNameAnnotation, on a PodVolumeBackup, names the PVC behind the pod volume.
	PVCNameAnnotation = "velero.io/pvc-name"
	// VolumeNamespaceLabel, on a BackupRepository, is the namespace whose volumes it holds.
	VolumeNamespaceLabel = "velero.io/volume-namespace"
	// RepositoryTypeLabel, on a BackupRepository, is its type (kopia or restic).
	RepositoryTypeLabel = "velero.io/repository-type"
	// PVBLabel names the PodVolumeBackup a node agent's helper pod works for.
	PVBLabel = "velero.io/pod-volume-backup"
	// PVRLabel names the PodVolumeRestore a node agent's helper pod works for.
	PVRLabel = "velero.io/pod-volume-restore"

	// PodVolumeOperationTimeoutAnnotation, on a Backup or Restore, bounds each of its pod volume copies.
	PodVolumeOperationTimeoutAnnotation = "velero.io/pod-volume-timeout"
	// ResourceTimeoutAnnotation, on a Backup, passes the server's resource timeout to plugins.
	ResourceTimeoutAnnotation = "velero.io/resource-timeout"

	// SourceClusterK8sGitVersionAnnotation, on a Backup, is the backed-up cluster's version, e.g. v1.34.2.
	SourceClusterK8sGitVersionAnnotation = "velero.io/source-cluster-k8s-gitversion"
	// SourceClusterK8sMajorVersionAnnotation is that version's major number, e.g. 1.
	SourceClusterK8sMajorVersionAnnotation = "velero.io/source-cluster-k8s-major-version"
	// SourceClusterK8sMinorVersionAnnotation is that version's minor number, e.g. 34.
	SourceClusterK8sMinorVersionAnnotation = "velero.io/source-cluster-k8s-minor-version"

	// GlobalBackupVolumePolicyConfigMapAnnotation, on a Backup, names the cluster-wide volume
	// policy ConfigMap it followed, for `velero backup describe`.
	GlobalBackupVolumePolicyConfigMapAnnotation = "velero.io/global-backup-volume-policy-configmap"

	// VolumesToBackupAnnotation, on a pod, lists (comma-separated) the volumes to back up by copying their files.
	VolumesToBackupAnnotation = "backup.velero.io/backup-volumes"
	// VolumesToExcludeAnnotation, on a pod, lists the volumes never to back up by copying their files.
	VolumesToExcludeAnnotation = "backup.velero.io/backup-volumes-excludes"
	// ExcludeFromBackupLabel, set to "true" on an object, keeps it out of every backup.
	ExcludeFromBackupLabel = "velero.io/exclude-from-backup"
	// SkipFromBackupAnnotation is set by the server's own item actions on an object they keep out
	// of the backup; it wins over MustIncludeAdditionalItemAnnotation.
	SkipFromBackupAnnotation = "velero.io/skip-from-backup"
	// MustIncludeAdditionalItemAnnotation, set by an item action, takes its additional items
	// even when the backup's filters leave them out.
	MustIncludeAdditionalItemAnnotation = "backup.velero.io/must-include-additional-items"
	// MustIncludeAdditionalItemRestoreAnnotation, set to "true" by a restore item action on its
	// result, restores its additional items even when the restore's filters leave them out; it
	// is removed from the object before it is created.
	MustIncludeAdditionalItemRestoreAnnotation = "restore.velero.io/must-include-additional-items"
	// SkippedNoCSIPVAnnotation, on a backed-up PVC, says its PV was not snapshotted because no CSI driver provisioned it.
	SkippedNoCSIPVAnnotation = "backup.velero.io/skipped-no-csi-pv"

	// DefaultVGSLabelKey is the PVC label that groups PVCs into one volume group snapshot when a backup names none.
	DefaultVGSLabelKey = "velero.io/volume-group"

	// AsyncOperationIDLabel carries the ID of a plugin's asynchronous operation.
	AsyncOperationIDLabel = "velero.io/async-operation-id"
	// ResourceUsageLabel says what a Velero-made object is for.
	ResourceUsageLabel = "velero.io/resource-usage"
	// DataUploadLabel names the DataUpload a helper pod or object works for.
	DataUploadLabel = "velero.io/data-upload"
	// DataUploadSnapshotInfoLabel, "true" or "false", marks the ConfigMap holding a DataUpload's snapshot info.
	DataUploadSnapshotInfoLabel = "velero.io/data-upload-snapshot-info"
	// DataDownloadLabel names the DataDownload a helper pod or object works for.
	DataDownloadLabel = "velero.io/data-download"
	// DataUploadNameAnnotation names the DataUpload an object came from.
	DataUploadNameAnnotation = "velero.io/data-upload-name"
	// DynamicPVRestoreLabel marks a PV restored by having it provisioned anew.
	DynamicPVRestoreLabel = "velero.io/dynamic-pv-restore"
)

// AsyncOperationIDPrefix starts the ID of an asynchronous data operation.
type AsyncOperationIDPrefix string

// The prefixes of data movement operation IDs.
const (
	AsyncOperationIDPrefixDataDownload AsyncOperationIDPrefix = "dd-"
	AsyncOperationIDPrefixDataUpload   AsyncOperationIDPrefix = "du-"
)

// VeleroResourceUsage is a value of ResourceUsageLabel.
type VeleroResourceUsage string

// VeleroResourceUsageDataUploadResult marks the ConfigMap holding a DataUpload's result.
const VeleroResourceUsageDataUploadResult VeleroResourceUsage = "DataUpload"

// The keys of CSI snapshots: on VolumeSnapshots, VolumeSnapshotContents,
// their classes, PVCs and Backups.
const (
	// VolumeSnapshotLabel names the VolumeSnapshot a VolumeSnapshotContent or PVC belongs with.
	VolumeSnapshotLabel = "velero.io/volume-snapshot-name"
	// VolumeSnapshotHandleAnnotation is the CSI driver's handle of a snapshot.
	VolumeSnapshotHandleAnnotation = "velero.io/csi-volumesnapshot-handle"
	// VolumeSnapshotRestoreSize is the size a snapshot restores to.
	VolumeSnapshotRestoreSize = "velero.io/csi-volumesnapshot-restore-size"
	// DriverNameAnnotation is the CSI driver that made a snapshot.
	DriverNameAnnotation = "velero.io/csi-driver-name"
	// VSCDeletionPolicyAnnotation is a VolumeSnapshotContent's deletion policy when it was backed up.
	VSCDeletionPolicyAnnotation = "velero.io/csi-vsc-deletion-policy"
	// VolumeGroupSnapshotHandleAnnotation is the CSI driver's handle of a volume group snapshot.
	VolumeGroupSnapshotHandleAnnotation = "velero.io/csi-volumegroupsnapshot-handle"
	// VolumeSnapshotClassSelectorLabel, on a VolumeSnapshotClass, makes it the one backups use for its driver.
	VolumeSnapshotClassSelectorLabel = "velero.io/csi-volumesnapshot-class"
	// VolumeSnapshotClassDriverBackupAnnotationPrefix, followed by "_" and a driver's name on a
	// Backup, names the VolumeSnapshotClass that backup uses for the driver.
	VolumeSnapshotClassDriverBackupAnnotationPrefix = "velero.io/csi-volumesnapshot-class"
	// VolumeSnapshotClassDriverPVCAnnotation, on a PVC, names the VolumeSnapshotClass its snapshots use.
	VolumeSnapshotClassDriverPVCAnnotation = "velero.io/csi-volumesnapshot-class"
	// VolumeSnapshotClassKubernetesAnnotation marks a VolumeSnapshotClass as the cluster's default.
	VolumeSnapshotClassKubernetesAnnotation = "snapshot.storage.kubernetes.io/is-default-class"

	// The CSI snapshotter's own annotations on a VolumeSnapshotClass (list) and a
	// VolumeSnapshotContent, naming the Secret of the snapshotter's credentials.
	PrefixedListSecretNameAnnotation      = "csi.storage.k8s.io/snapshotter-list-secret-name"      // #nosec G101: a key, not a secret
	PrefixedListSecretNamespaceAnnotation = "csi.storage.k8s.io/snapshotter-list-secret-namespace" // #nosec G101: a key, not a secret
	PrefixedSecretNameAnnotation          = "csi.storage.k8s.io/snapshotter-secret-name"           // #nosec G101: a key, not a secret
	PrefixedSecretNamespaceAnnotation     = "csi.storage.k8s.io/snapshotter-secret-namespace"      // #nosec G101: a key, not a secret

	// VolumeGroupSnapshotClassDefaultLabel, on a VolumeGroupSnapshotClass, makes it the one backups use for its driver.
	VolumeGroupSnapshotClassDefaultLabel = "velero.io/csi-volumegroupsnapshot-class"
	// VolumeGroupSnapshotClassAnnotationPVC, on a PVC, names the VolumeGroupSnapshotClass its group snapshots use.
	VolumeGroupSnapshotClassAnnotationPVC = "velero.io/csi-volume-group-snapshot-class"
	// VolumeGroupSnapshotClassAnnotationBackupPrefix, followed by a driver's name on a Backup,
	// names the VolumeGroupSnapshotClass that backup uses for the driver.
	VolumeGroupSnapshotClassAnnotationBackupPrefix = "velero.io/csi-volumegroupsnapshot-class_"
)
