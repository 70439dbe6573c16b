package objects

import (
	"testing"

	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/starter/velerov1"
)

// TestLocationRoundTrip: the location the stock velero CLI's
// `backup-location create` asks for is a valid Cairn location, and prints
// back as the same spec (but Velero's periods, which Cairn does not keep).
func TestLocationRoundTrip(t *testing.T) {
	b := fixture[velerov1.BackupStorageLocation](t, "bsl-cli.json")
	l := Location(b)
	if err := locations.Validate(l); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if l.Spec.Bucket != "velero-backups" || l.Spec.Prefix != "cluster-a" || l.Spec.Credential == nil || l.Spec.Credential.Key != "cloud" || !l.Spec.Default {
		t.Errorf("Location: %+v", l)
	}
	back := BackupStorageLocation(l, "velero")
	b.Spec.BackupSyncPeriod, b.Spec.ValidationFrequency = nil, nil
	if !sameJSONForTest(back.Spec, b.Spec) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back.Spec, b.Spec)
	}
}

// TestLocalLocation: Cairn's folder locations print with provider local
// and their path as the bucket, and read back.
func TestLocalLocation(t *testing.T) {
	l := locations.Location{Name: "local", Spec: locations.Spec{Provider: locations.ProviderLocal, Path: "/var/cairn"}}
	b := BackupStorageLocation(l, "cairn")
	if b.Spec.Provider != "local" || b.Spec.ObjectStorage.Bucket != "/var/cairn" || b.Spec.AccessMode != "ReadWrite" {
		t.Fatalf("BackupStorageLocation: %+v", b.Spec)
	}
	if back := Location(&b); back.Spec.Path != "/var/cairn" || back.Spec.Bucket != "" {
		t.Errorf("Location: %+v", back.Spec)
	}
}

// TestScheduleRequest: the schedule the stock velero CLI's `schedule
// create` asks for, as Cairn's request.
func TestScheduleRequest(t *testing.T) {
	s := fixture[velerov1.Schedule](t, "schedule-cli.json")
	r, err := ScheduleRequest(s)
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "nginx-daily" || r.Cron != "0 1 * * *" || r.Spec.LabelSelector != "app=nginx" || r.Spec.TTL != "720h0m0s" {
		t.Errorf("ScheduleRequest: %+v", r)
	}
	if err := r.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}
