package objects

import (
	"maps"

	corev1 "k8s.io/api/core/v1"

	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/starter/velerov1"
)

// BackupStorageLocation is location l as the BackupStorageLocation object
// of namespace ns. A local folder (Cairn's embedded default) has provider
// "local" and its path as the bucket.
func BackupStorageLocation(l locations.Location, ns string) velerov1.BackupStorageLocation {
	out := velerov1.BackupStorageLocation{TypeMeta: typeMeta("BackupStorageLocation"), ObjectMeta: objectMeta(l.Name, ns, nil)}
	bucket := l.Spec.Bucket
	if l.Spec.Provider == locations.ProviderLocal {
		bucket = l.Spec.Path
	}
	config := maps.Clone(l.Spec.Config)
	delete(config, locations.ConfigCACert)
	out.Spec = velerov1.BackupStorageLocationSpec{
		Provider: string(l.Spec.Provider), Config: config, Default: l.Spec.Default,
		AccessMode: velerov1.BackupStorageLocationAccessMode(l.Spec.Mode()),
		StorageType: velerov1.StorageType{ObjectStorage: &velerov1.ObjectStorageLocation{
			Bucket: bucket, Prefix: l.Spec.Prefix, CACert: []byte(l.Spec.Config[locations.ConfigCACert]),
		}},
	}
	if r := l.Spec.Credential; r != nil {
		out.Spec.Credential = &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: r.Name}, Key: r.Key}
	}
	out.Status = velerov1.BackupStorageLocationStatus{
		Phase:              velerov1.BackupStorageLocationPhase(l.Status.Phase),
		LastValidationTime: timeOrNil(l.Status.LastValidationTime),
		Message:            l.Status.Message,
	}
	return out
}

// Location is the location that the BackupStorageLocation object b asks
// for; Validate in package locations judges it.
func Location(b *velerov1.BackupStorageLocation) locations.Location {
	l := locations.Location{Name: b.Name}
	s := &l.Spec
	s.Provider, s.Default = locations.Provider(b.Spec.Provider), b.Spec.Default
	s.AccessMode, s.Config = locations.AccessMode(b.Spec.AccessMode), maps.Clone(b.Spec.Config)
	if os := b.Spec.ObjectStorage; os != nil {
		s.Bucket, s.Prefix = os.Bucket, os.Prefix
		if len(os.CACert) > 0 {
			if s.Config == nil {
				s.Config = map[string]string{}
			}
			s.Config[locations.ConfigCACert] = string(os.CACert)
		}
	}
	if s.Provider == locations.ProviderLocal {
		s.Path, s.Bucket = s.Bucket, ""
	}
	if c := b.Spec.Credential; c != nil {
		s.Credential = &locations.SecretKeyRef{Name: c.Name, Key: c.Key}
	}
	return l
}
