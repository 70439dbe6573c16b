package face

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/cairn-backup/cairn/starter/objects"
	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/workflows"
)

// followBackups writes the state of the backups that changed (all of
// them, records included, when full) into their objects, making the
// objects that are missing. A full follow also removes the objects of
// finished backups that neither Temporal nor any location knows any more.
func (f *Face) followBackups(ctx context.Context, full bool) {
	var (
		results []workflows.BackupResult
		err     error
	)
	if full {
		results, err = f.Cairn.ListBackups(ctx)
	} else {
		results, err = f.Cairn.BackupsChangedSince(ctx, f.since())
	}
	if err != nil {
		f.logger().Warn("listing backups for their objects", "error", err)
	}
	known := map[string]bool{}
	for _, res := range results {
		known[res.Name] = true
		if err := f.upsertBackup(ctx, res); err != nil && ctx.Err() == nil {
			f.logger().Warn("writing a Backup object", "name", res.Name, "error", err)
		}
	}
	if full && err == nil {
		f.removeGoneBackups(ctx, known)
	}
}

// upsertBackup makes res's Backup object, or brings its status up to
// date; a backup being deleted shows phase Deleting.
func (f *Face) upsertBackup(ctx context.Context, res workflows.BackupResult) error {
	if f.gone.recent(res.Name) {
		return nil
	}
	want := objects.Backup(res, f.Namespace)
	if f.deleting.has(res.Name) {
		want.Status.Phase = velerov1.BackupPhaseDeleting
	}
	cur := f.backups.cached(res.Name)
	if cur == nil {
		if _, err := f.backups.objects.Create(ctx, &want); err != nil && !apierrors.IsAlreadyExists(err) {
			return err
		}
		return f.upsertPodVolumes(ctx, res)
	}
	if sameJSON(cur.Status, want.Status) && !fillDefaults(cur, want) {
		return nil
	}
	cur.Status = want.Status
	fillDefaults(cur, want)
	if _, err := f.backups.objects.UpdateStatus(ctx, cur); err != nil {
		return err
	}
	return f.upsertPodVolumes(ctx, res)
}

// fillDefaults writes into b's spec and labels what Cairn chose for what
// it left out (the storage location, the TTL), as Velero's server does;
// it reports whether anything was missing.
func fillDefaults(b *velerov1.Backup, want velerov1.Backup) bool {
	changed := false
	if b.Spec.StorageLocation == "" && want.Spec.StorageLocation != "" {
		b.Spec.StorageLocation, changed = want.Spec.StorageLocation, true
	}
	if b.Spec.TTL.Duration == 0 && want.Spec.TTL.Duration != 0 {
		b.Spec.TTL, changed = want.Spec.TTL, true
	}
	if loc := want.Labels[velerov1.StorageLocationLabel]; loc != "" && b.Labels[velerov1.StorageLocationLabel] == "" {
		if b.Labels == nil {
			b.Labels = map[string]string{}
		}
		b.Labels[velerov1.StorageLocationLabel], changed = loc, true
	}
	return changed
}

// upsertPodVolumes makes or updates the PodVolumeBackup objects of res.
func (f *Face) upsertPodVolumes(ctx context.Context, res workflows.BackupResult) error {
	for _, want := range objects.PodVolumeBackups(res, f.Namespace) {
		cur := f.podVolumes.cached(want.Name)
		var err error
		switch {
		case cur == nil:
			_, err = f.podVolumes.objects.Create(ctx, &want)
		case !sameJSON(cur.Status, want.Status):
			cur.Status = want.Status
			_, err = f.podVolumes.objects.UpdateStatus(ctx, cur)
		}
		if err != nil && !apierrors.IsAlreadyExists(err) {
			return err
		}
	}
	return nil
}

// removeGoneBackups deletes the objects of finished backups missing from
// known (a failed validation stays: it never had a workflow).
func (f *Face) removeGoneBackups(ctx context.Context, known map[string]bool) {
	for _, b := range f.backups.all() {
		p := b.Status.Phase
		if known[b.Name] || !objects.Finished(p) || p == velerov1.BackupPhaseFailedValidation {
			continue
		}
		f.removeBackupObjects(ctx, b.Name)
	}
}

// removeBackupObjects deletes the Backup object of name and its pod
// volume backups, and keeps followers from making them again for a while.
func (f *Face) removeBackupObjects(ctx context.Context, name string) {
	f.gone.add(name)
	if err := f.backups.objects.Delete(ctx, name); err != nil && !apierrors.IsNotFound(err) {
		f.logger().Warn("deleting a Backup object", "name", name, "error", err)
	}
	sel := labels.SelectorFromSet(labels.Set{velerov1.BackupNameLabel: name}).String()
	pvbs, err := f.podVolumes.objects.List(ctx, metav1.ListOptions{LabelSelector: sel})
	if err != nil {
		return
	}
	for _, p := range pvbs {
		_ = f.podVolumes.objects.Delete(ctx, p.Name)
	}
}

// sameJSON tells whether a and b print the same.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// nameSet is a set of names safe for concurrent use.
type nameSet struct {
	mu    sync.Mutex
	names map[string]time.Time
}

func (s *nameSet) add(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.names == nil {
		s.names = map[string]time.Time{}
	}
	s.names[name] = time.Now()
}

func (s *nameSet) remove(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.names, name)
}

func (s *nameSet) has(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.names[name]
	return ok
}

// goneFor is how long a removed backup's object is not made again, while
// Temporal finishes forgetting its workflow.
const goneFor = 2 * time.Minute

// recent tells whether name was added within goneFor.
func (s *nameSet) recent(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.names[name]
	return ok && time.Since(t) < goneFor
}
