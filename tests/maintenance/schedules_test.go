package maintenance

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend/s3"
	"github.com/cairn-backup/cairn/workflows"
)

// TestMaintenanceSchedulesFollowLocations: every location has a
// maintenance schedule; one created with kubectl (here, the store) gets
// its schedule from the location validation, and `cairn backup-location
// delete` stops it. A repository that the location's password does not
// open fails its maintenance with a clear error in `cairn repo get`.
func TestMaintenanceSchedulesFollowLocations(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := newStack(t, ctx, "cairn-maint-sched")
	c := dial(t)
	exists := func(loc string) error {
		_, err := c.ScheduleClient().GetHandle(ctx, workflows.RepoMaintenanceScheduleID(loc)).Describe(ctx)
		return err
	}
	if err := exists("default"); err != nil {
		t.Fatalf("the default location has no maintenance schedule: %v", err)
	}

	if _, err := s.store.Create(ctx, locations.Location{
		Name: "spare",
		Spec: locations.Spec{Provider: locations.ProviderAWS, Bucket: s.bed.S3.Bucket, Prefix: s.prefix + "-spare",
			Config: map[string]string{locations.ConfigS3URL: s.bed.S3.URL, locations.ConfigRegion: s.bed.S3.Region, locations.ConfigS3ForcePathStyle: "true"}},
		CredentialsFile: locations.Sensitive(s.bed.S3.CredentialsFile()),
	}); err != nil {
		t.Fatal(err)
	}
	eventually(t, ctx, "the new location's schedule", func() error { return exists("spare") })
	cairn(t, ctx, 0, "backup-location", "delete", "spare", "--confirm")
	var nf *serviceerror.NotFound
	if err := exists("spare"); !errors.As(err, &nf) {
		t.Errorf("the deleted location's schedule: %v", err)
	}

	// A repository of another password in the location's restic/ folder.
	be, err := s3.Create(ctx, s.bed.S3.Config(s.prefix+"/restic/foreign"))
	if err != nil {
		t.Fatal(err)
	}
	defer be.Close()
	r, err := repo.Init(ctx, be, "not the location's password", repo.Options{KDF: repo.TestKDFParams})
	if err != nil {
		t.Fatal(err)
	}
	_ = r.Close()
	name := activities.RepositoryName("default", "foreign")
	code, _, errOut := cairnRun(ctx, "repo", "maintain", name, "--wait")
	if code != 1 || !strings.Contains(errOut, "the location's repository password does not open it") {
		t.Fatalf("repo maintain of a repository of another password: exit %d\n%s", code, errOut)
	}
	got := repositories(t, ctx)[name]
	if got.Phase != metadata.RepositoryNotReady || got.LastResult != metadata.MaintenanceFailed ||
		!strings.Contains(got.Message, "password does not open it") || got.Location != "default" {
		t.Errorf("repo get: %+v", got)
	}
	if out := cairn(t, ctx, 0, "repo", "get"); !strings.Contains(out, name) || !strings.Contains(out, "NotReady") {
		t.Errorf("repo get:\n%s", out)
	}
	if code, _, errOut := cairnRun(ctx, "repo", "maintain", "nothing-default-restic"); code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("repo maintain of an unknown repository: exit %d, %s", code, errOut)
	}
	if code, _, errOut := cairnRun(ctx, "repo", "maintain"); code != 1 || !strings.Contains(errOut, "--all") {
		t.Errorf("repo maintain without names: exit %d, %s", code, errOut)
	}
}
