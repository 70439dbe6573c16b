package face

import (
	"cmp"
	"context"
	"log/slog"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/tools/cache"

	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/velerov1"
)

// Defaults of Face's periods.
const (
	// DefaultFollow is how often the status of running backups and
	// restores is written back: Velero's CLI sees it within a second or two.
	DefaultFollow = time.Second
	// DefaultSync is how often every backup Temporal and the locations'
	// records know is made an object, as Velero's backup sync does.
	DefaultSync = time.Minute
)

// Face watches the velero.io/v1 objects of Namespace and keeps them and
// Cairn's workflows in step.
type Face struct {
	Dynamic   dynamic.Interface
	Discovery discovery.DiscoveryInterface
	Namespace string
	// Cairn starts and describes workflows; its Locations let it read the
	// records of every location (bucket sync, downloads).
	Cairn *starter.Client
	// Locations are the backup storage locations behind the
	// BackupStorageLocation objects.
	Locations *locations.Store
	// Version is what ServerStatusRequests answer.
	Version string
	Logger  *slog.Logger
	// Follow and Sync are DefaultFollow and DefaultSync when zero.
	Follow, Sync time.Duration

	backups    *kind[velerov1.Backup]
	restores   *kind[velerov1.Restore]
	schedules  *kind[velerov1.Schedule]
	deletions  *kind[velerov1.DeleteBackupRequest]
	statuses   *kind[velerov1.ServerStatusRequest]
	downloads  *kind[velerov1.DownloadRequest]
	bsls       *kind[velerov1.BackupStorageLocation]
	podVolumes *kind[velerov1.PodVolumeBackup]
	repos      *kind[velerov1.BackupRepository]
	lastFollow time.Time
	// deleting names the backups whose deletion runs, gone those whose
	// objects were removed a moment ago.
	deleting, gone nameSet
}

// Run waits for the velero.io/v1 CRDs (a cluster without them runs Cairn
// without its face), then watches and follows until ctx ends.
func (f *Face) Run(ctx context.Context) error {
	if !f.waitForCRDs(ctx) {
		return nil
	}
	factory := dynamicinformer.NewFilteredDynamicSharedInformerFactory(f.Dynamic, 10*time.Minute, f.Namespace, nil)
	f.watch(factory)
	factory.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), f.synced()...) {
		return ctx.Err()
	}
	f.logger().Info("watching velero.io/v1 objects", "namespace", f.Namespace)
	for _, w := range []func(context.Context, *slog.Logger){f.backups.work, f.restores.work, f.schedules.work,
		f.deletions.work, f.statuses.work, f.downloads.work, f.bsls.work} {
		go w(ctx, f.logger())
	}
	f.follow(ctx)
	return nil
}

func (f *Face) watch(factory dynamicinformer.DynamicSharedInformerFactory) {
	d, ns := f.Dynamic, f.Namespace
	f.backups = newKind[velerov1.Backup](d, factory, ns, velerov1.BackupsResource)
	f.backups.handle = f.startBackup
	f.restores = newKind[velerov1.Restore](d, factory, ns, velerov1.RestoresResource)
	f.restores.handle, f.restores.gone = f.startRestore, f.forgetRestore
	f.schedules = newKind[velerov1.Schedule](d, factory, ns, velerov1.SchedulesResource)
	f.schedules.handle, f.schedules.gone = f.applySchedule, f.forgetSchedule
	f.deletions = newKind[velerov1.DeleteBackupRequest](d, factory, ns, velerov1.DeleteBackupRequestsResource)
	f.deletions.handle = f.deleteBackup
	f.statuses = newKind[velerov1.ServerStatusRequest](d, factory, ns, velerov1.ServerStatusRequestsResource)
	f.statuses.handle = f.answerStatus
	f.downloads = newKind[velerov1.DownloadRequest](d, factory, ns, velerov1.DownloadRequestsResource)
	f.downloads.handle = f.answerDownload
	f.bsls = newKind[velerov1.BackupStorageLocation](d, factory, ns, velerov1.BackupStorageLocationsResource)
	f.bsls.handle, f.bsls.gone = f.applyLocation, f.forgetLocation
	f.podVolumes = newKind[velerov1.PodVolumeBackup](d, factory, ns, velerov1.PodVolumeBackupsResource)
	f.repos = newKind[velerov1.BackupRepository](d, factory, ns, velerov1.BackupRepositoriesResource)
}

func (f *Face) synced() []cache.InformerSynced {
	return []cache.InformerSynced{f.backups.synced, f.restores.synced, f.schedules.synced, f.deletions.synced,
		f.statuses.synced, f.downloads.synced, f.bsls.synced, f.podVolumes.synced, f.repos.synced}
}

// servesBackups tells whether resources include velero.io/v1 backups.
func servesBackups(resources []metav1.APIResource) bool {
	for _, r := range resources {
		if r.Name == velerov1.BackupsResource {
			return true
		}
	}
	return false
}

func (f *Face) logger() *slog.Logger { return cmp.Or(f.Logger, slog.Default()) }

// waitForCRDs reports when the API server serves velero.io/v1 backups,
// checking every 10 seconds; false when ctx ends first.
func (f *Face) waitForCRDs(ctx context.Context) bool {
	warned := false
	for {
		res, err := f.Discovery.ServerResourcesForGroupVersion(velerov1.SchemeGroupVersion.String())
		if err == nil && servesBackups(res.APIResources) {
			return true
		}
		if !warned {
			f.logger().Info("the velero.io/v1 CRDs are not installed: Cairn runs without its Kubernetes face until they are (kubectl apply -k deploy/crds)")
			warned = true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(10 * time.Second):
		}
	}
}
