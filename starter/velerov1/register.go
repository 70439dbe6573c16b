package velerov1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// GroupName is the API group of every kind here.
const GroupName = "velero.io"

// SchemeGroupVersion is velero.io/v1.
var SchemeGroupVersion = schema.GroupVersion{Group: GroupName, Version: "v1"}

// The resource (plural) names of the kinds, as they appear in URLs, RBAC
// rules and `kubectl get`.
const (
	BackupsResource                 = "backups"
	RestoresResource                = "restores"
	SchedulesResource               = "schedules"
	BackupStorageLocationsResource  = "backupstoragelocations"
	VolumeSnapshotLocationsResource = "volumesnapshotlocations"
	DeleteBackupRequestsResource    = "deletebackuprequests"
	PodVolumeBackupsResource        = "podvolumebackups"
	PodVolumeRestoresResource       = "podvolumerestores"
	BackupRepositoriesResource      = "backuprepositories"
	DownloadRequestsResource        = "downloadrequests"
	ServerStatusRequestsResource    = "serverstatusrequests"
)

// Kind is one kind of the group: its name, its resource name, and a new empty
// object and list of it.
// +kubebuilder:object:generate=false
type Kind struct {
	Name     string
	Resource string
	New      func() runtime.Object
	NewList  func() runtime.Object
}

// Kinds lists every kind of velero.io/v1, in the order `velero install`
// documents them.
func Kinds() []Kind {
	return []Kind{
		{"Backup", BackupsResource, func() runtime.Object { return &Backup{} }, func() runtime.Object { return &BackupList{} }},
		{"Restore", RestoresResource, func() runtime.Object { return &Restore{} }, func() runtime.Object { return &RestoreList{} }},
		{"Schedule", SchedulesResource, func() runtime.Object { return &Schedule{} }, func() runtime.Object { return &ScheduleList{} }},
		{"BackupStorageLocation", BackupStorageLocationsResource, func() runtime.Object { return &BackupStorageLocation{} }, func() runtime.Object { return &BackupStorageLocationList{} }},
		{"VolumeSnapshotLocation", VolumeSnapshotLocationsResource, func() runtime.Object { return &VolumeSnapshotLocation{} }, func() runtime.Object { return &VolumeSnapshotLocationList{} }},
		{"DeleteBackupRequest", DeleteBackupRequestsResource, func() runtime.Object { return &DeleteBackupRequest{} }, func() runtime.Object { return &DeleteBackupRequestList{} }},
		{"PodVolumeBackup", PodVolumeBackupsResource, func() runtime.Object { return &PodVolumeBackup{} }, func() runtime.Object { return &PodVolumeBackupList{} }},
		{"PodVolumeRestore", PodVolumeRestoresResource, func() runtime.Object { return &PodVolumeRestore{} }, func() runtime.Object { return &PodVolumeRestoreList{} }},
		{"BackupRepository", BackupRepositoriesResource, func() runtime.Object { return &BackupRepository{} }, func() runtime.Object { return &BackupRepositoryList{} }},
		{"DownloadRequest", DownloadRequestsResource, func() runtime.Object { return &DownloadRequest{} }, func() runtime.Object { return &DownloadRequestList{} }},
		{"ServerStatusRequest", ServerStatusRequestsResource, func() runtime.Object { return &ServerStatusRequest{} }, func() runtime.Object { return &ServerStatusRequestList{} }},
	}
}

// Resource qualifies a resource name of the group, e.g. backups.velero.io.
func Resource(resource string) schema.GroupResource {
	return SchemeGroupVersion.WithResource(resource).GroupResource()
}

// GroupKind qualifies a kind name of the group, e.g. Backup.velero.io.
func GroupKind(kind string) schema.GroupKind {
	return SchemeGroupVersion.WithKind(kind).GroupKind()
}

var (
	// SchemeBuilder registers the group's kinds with a scheme.
	SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)
	// AddToScheme adds every kind and list of velero.io/v1 to a scheme, so
	// that its codecs and clients can read and write them.
	AddToScheme = SchemeBuilder.AddToScheme
)

func addKnownTypes(scheme *runtime.Scheme) error {
	for _, k := range Kinds() {
		scheme.AddKnownTypes(SchemeGroupVersion, k.New(), k.NewList())
	}
	metav1.AddToGroupVersion(scheme, SchemeGroupVersion)
	return nil
}
