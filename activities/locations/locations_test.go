package locations_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/locations"
)

// TestSeedLocationAvailable creates the seed's location against versitygw
// and finds it Available, stored as documented.
func TestSeedLocationAvailable(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.secret(t, "credential-file", "bsl", f.bed.S3.CredentialsFile())
	loc := f.seedOnBed("cephlocation")
	loc.Status = f.store.Check(ctx, loc)
	if loc.Status.Phase != locations.Available {
		t.Fatalf("phase %s: %s", loc.Status.Phase, loc.Status.Message)
	}
	created, err := f.store.Create(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.store.Get(ctx, "cephlocation")
	if err != nil {
		t.Fatal(err)
	}
	if got.Spec.Prefix != "default" || got.Spec.Config["s3ForcePathStyle"] != "true" || got.Spec.Config["s3Url"] != f.bed.S3.URL ||
		got.Status.Phase != locations.Available || got.ResourceVersion != created.ResourceVersion || got.Spec.AccessMode != locations.ReadWrite {
		t.Fatalf("stored %+v", got)
	}
	cm, err := f.kube.CoreV1().ConfigMaps(f.ns).Get(ctx, "cairn-bsl-cephlocation", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cm.Labels[locations.Label] != "cephlocation" {
		t.Fatalf("labels %v", cm.Labels)
	}

	target, err := f.store.Open(ctx, got)
	if err != nil {
		t.Fatal(err)
	}
	c := target.S3
	if c == nil || c.Endpoint != f.bed.S3.URL || c.Region != f.bed.S3.Region || !c.PathStyle || c.Bucket != f.bed.S3.Bucket ||
		c.Prefix != "default" || c.AccessKeyID != f.bed.S3.AccessKey || c.SecretAccessKey != f.bed.S3.SecretKey {
		t.Fatalf("Open gave %v", c)
	}
	be, err := target.Create(ctx)
	if err != nil {
		t.Fatal(err)
	}
	be.Close()

	pw, err := f.store.Password(ctx, got)
	if err != nil || len(pw) != 44 {
		t.Fatalf("password %d characters, %v", len(pw), err)
	}
	f.noSecretsInConfigMaps(t, f.bed.S3.AccessKey, f.bed.S3.SecretKey, pw)
}

// TestUnavailable finds wrong keys, a missing bucket and a dead endpoint
// Unavailable, each with its reason.
func TestUnavailable(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	wrong := strings.Replace(f.bed.S3.CredentialsFile(), f.bed.S3.SecretKey, "0123456789abcdef0123456789abcdef", 1)
	f.secret(t, "credential-file", "bsl", f.bed.S3.CredentialsFile())
	for _, c := range []struct {
		name   string
		change func(*locations.Location)
		want   string
	}{
		{"wrong secret key", func(l *locations.Location) { l.Spec.Credential, l.CredentialsFile = nil, []byte(wrong) }, "access denied"},
		{"missing bucket", func(l *locations.Location) { l.Spec.Bucket = "no-such-bucket" }, "does not exist"},
		{"missing secret", func(l *locations.Location) { l.Spec.Credential.Name = "nothing-here" }, "secret " + f.ns + "/nothing-here does not exist"},
		{"dead endpoint", func(l *locations.Location) { l.Spec.Config["s3Url"] = "http://127.0.0.1:1" }, "127.0.0.1:1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			loc := f.seedOnBed("x")
			c.change(&loc)
			start := time.Now()
			st := f.store.Check(ctx, loc)
			if st.Phase != locations.Unavailable || !strings.Contains(strings.ToLower(st.Message), c.want) {
				t.Fatalf("phase %s, message %q; want Unavailable with %q", st.Phase, st.Message, c.want)
			}
			t.Logf("message: %s", st.Message)
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	loc := f.seedOnBed("wrong")
	loc.Spec.Credential, loc.CredentialsFile = nil, []byte(wrong)
	loc.Status = f.store.Check(ctx, loc)
	if _, err := f.store.Create(ctx, loc); err != nil {
		t.Fatal(err)
	}
	got, err := f.store.Get(ctx, "wrong")
	if err != nil || got.Status.Phase != locations.Unavailable || got.Status.Message == "" ||
		*got.Spec.Credential != (locations.SecretKeyRef{Name: "cairn-bsl-wrong-credentials", Key: "cloud"}) {
		t.Fatalf("stored %+v, %v", got, err)
	}
	f.noSecretsInConfigMaps(t, f.bed.S3.AccessKey, "0123456789abcdef0123456789abcdef")
}

// TestDefaultGetDelete keeps exactly one default through creates, SetDefault
// and Update, and deletes a location with its own Secret.
func TestDefaultGetDelete(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.secret(t, "credential-file", "bsl", f.bed.S3.CredentialsFile())
	for i, name := range []string{"b", "a", "c"} {
		loc := f.seedOnBed(name)
		loc.Spec.Default = true
		if i == 2 {
			loc.Spec.Credential, loc.CredentialsFile = nil, []byte(f.bed.S3.CredentialsFile())
		}
		if _, err := f.store.Create(ctx, loc); err != nil {
			t.Fatal(err)
		}
		wantDefault(t, f.store, name)
	}
	locs, err := f.store.List(ctx)
	if err != nil || len(locs) != 3 || locs[0].Name != "a" || locs[2].Name != "c" {
		t.Fatalf("List: %v, %v", locs, err)
	}
	if err := f.store.SetDefault(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	wantDefault(t, f.store, "a")
	b, err := f.store.Get(ctx, "b")
	if err != nil {
		t.Fatal(err)
	}
	b.Spec.Default = true
	b.Spec.AccessMode = locations.ReadOnly
	if _, err := f.store.Update(ctx, b); err != nil {
		t.Fatal(err)
	}
	wantDefault(t, f.store, "b")
	if _, err := f.store.Update(ctx, b); err == nil || !strings.Contains(err.Error(), "changed since it was read") {
		t.Fatalf("update with a stale resource version: %v", err)
	}
	if err := f.store.SetDefault(ctx, "nope"); !errors.Is(err, locations.ErrNotFound) {
		t.Fatalf("SetDefault of a missing location: %v", err)
	}

	if err := f.store.Delete(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Delete(ctx, "c"); !errors.Is(err, locations.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := f.store.Get(ctx, "c"); !errors.Is(err, locations.ErrNotFound) || !strings.Contains(err.Error(), `"c" in namespace `+f.ns) {
		t.Fatalf("Get after delete: %v", err)
	}
	objs := f.objects(t)
	if slices.Contains(objs, "secret/cairn-bsl-c-credentials") || !slices.Contains(objs, "secret/credential-file") ||
		!slices.Contains(objs, "secret/cairn-repo-credentials") {
		t.Fatalf("left after deleting c: %v", objs)
	}
}

func wantDefault(t *testing.T, store *locations.Store, name string) {
	t.Helper()
	def, err := store.Default(context.Background())
	if err != nil || def.Name != name {
		t.Fatalf("default %q, %v; want %q", def.Name, err, name)
	}
}

// TestBadInputWritesNothing gives Create and Update bad input and finds the
// namespace unchanged.
func TestBadInputWritesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.secret(t, "credential-file", "bsl", f.bed.S3.CredentialsFile())
	before := f.objects(t)
	for _, c := range []struct {
		name   string
		change func(*locations.Location)
		want   string
	}{
		{"bad name", func(l *locations.Location) { l.Name = "Bad_Name" }, "name"},
		{"unknown key", func(l *locations.Location) { l.Spec.Config["kmsKeyId"] = "k" }, "allowed keys are"},
		{"secret missing", func(l *locations.Location) { l.Spec.Credential.Name = "missing" }, "secret " + f.ns + "/missing does not exist"},
		{"secret key missing", func(l *locations.Location) { l.Spec.Credential.Key = "cloud" }, `has no key "cloud"`},
		{"password secret missing", func(l *locations.Location) {
			l.Spec.RepositoryPassword = &locations.SecretKeyRef{Name: "pw", Key: "pw"}
		}, "secret " + f.ns + "/pw does not exist"},
		{"bad credentials file", func(l *locations.Location) {
			l.Spec.Credential, l.CredentialsFile = nil, []byte("nonsense")
		}, "credentials file"},
	} {
		loc := f.seedOnBed("x")
		c.change(&loc)
		if _, err := f.store.Create(ctx, loc); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want an error with %q", c.name, err, c.want)
		}
		if got := f.objects(t); !slices.Equal(got, before) {
			t.Fatalf("%s: objects %v, before %v", c.name, got, before)
		}
	}
	if _, err := f.store.Update(ctx, f.seedOnBed("x")); !errors.Is(err, locations.ErrNotFound) {
		t.Fatalf("Update of a missing location: %v", err)
	}
	if _, err := f.store.Create(ctx, f.seedOnBed("x")); err != nil {
		t.Fatal(err)
	}
	after := f.objects(t)
	if _, err := f.store.Create(ctx, f.seedOnBed("x")); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second create: %v", err)
	}
	bad := f.seedOnBed("x")
	bad.Spec.AccessMode = "Sometimes"
	if _, err := f.store.Update(ctx, bad); err == nil || !strings.Contains(err.Error(), "ReadWrite or ReadOnly") {
		t.Fatalf("bad update: %v", err)
	}
	if got := f.objects(t); !slices.Equal(got, after) {
		t.Fatalf("objects %v, before %v", got, after)
	}
}

// TestPasswordGeneratedOnce shares one generated password between
// locations and keeps it, and uses a location's own password Secret.
func TestPasswordGeneratedOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.secret(t, "credential-file", "bsl", f.bed.S3.CredentialsFile())
	f.secret(t, "my-password", "pw", "correct horse\n")
	if _, err := f.store.Create(ctx, f.seedOnBed("one")); err != nil {
		t.Fatal(err)
	}
	sec, err := f.kube.CoreV1().Secrets(f.ns).Get(ctx, locations.PasswordSecret, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	first := string(sec.Data[locations.PasswordKey])
	if len(first) != 44 {
		t.Fatalf("generated password of %d characters", len(first))
	}
	if _, err := f.store.Create(ctx, f.seedOnBed("two")); err != nil {
		t.Fatal(err)
	}
	own := f.seedOnBed("own")
	own.Spec.RepositoryPassword = &locations.SecretKeyRef{Name: "my-password", Key: "pw"}
	if _, err := f.store.Create(ctx, own); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"one", "two", "own"} {
		loc, err := f.store.Get(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		pw, err := f.store.Password(ctx, loc)
		want := first
		if name == "own" {
			want = "correct horse"
		}
		if err != nil || pw != want {
			t.Fatalf("%s: password %q, %v; want %q", name, pw, err, want)
		}
	}
	again, err := f.kube.CoreV1().Secrets(f.ns).Get(ctx, locations.PasswordSecret, metav1.GetOptions{})
	if err != nil || again.ResourceVersion != sec.ResourceVersion || again.UID != sec.UID {
		t.Fatalf("the password secret changed: %v", err)
	}

	// Another namespace gets a password of its own.
	g := newFixture(t)
	pw, err := g.store.Password(ctx, locations.Location{Name: "z"})
	if err != nil || pw == first || len(pw) != 44 {
		t.Fatalf("second namespace: %v", err)
	}
	f.noSecretsInConfigMaps(t, first, "correct horse", f.bed.S3.SecretKey)
}

// TestValidateAll records every location's status with the clock's time.
func TestValidateAll(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.secret(t, "credential-file", "bsl", f.bed.S3.CredentialsFile())
	f.secret(t, "bad-credentials", "cloud", "[default]\naws_access_key_id = nobody\naws_secret_access_key = nothing\n")
	good := f.seedOnBed("good")
	bad := f.seedOnBed("bad")
	bad.Spec.Credential = &locations.SecretKeyRef{Name: "bad-credentials", Key: "cloud"}
	local := locations.Location{Name: "local", Spec: locations.Spec{Provider: locations.ProviderLocal, Path: t.TempDir()}}
	gone := locations.Location{Name: "gone", Spec: locations.Spec{Provider: locations.ProviderLocal, Path: "/does/not/exist"}}
	for _, l := range []locations.Location{good, bad, local, gone} {
		if _, err := f.store.Create(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 5, 1, 12, 30, 0, 0, time.UTC)
	locs, err := locations.ValidateAll(ctx, f.store, func() time.Time { return now })
	if err != nil || len(locs) != 4 {
		t.Fatalf("ValidateAll: %d locations, %v", len(locs), err)
	}
	want := map[string]locations.Phase{"good": locations.Available, "bad": locations.Unavailable,
		"local": locations.Available, "gone": locations.Unavailable}
	for name, phase := range want {
		loc, err := f.store.Get(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if loc.Status.Phase != phase || !loc.Status.LastValidationTime.Equal(now) || loc.Status.Message == "" {
			t.Errorf("%s: status %+v; want %s at %v", name, loc.Status, phase, now)
		}
	}
	target, err := f.store.Open(ctx, local)
	if err != nil || target.Path != local.Spec.Path {
		t.Fatalf("Open(local) = %+v, %v", target, err)
	}
}
