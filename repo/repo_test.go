package repo_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/mem"
)

var testOpts = repo.Options{KDF: repo.TestKDFParams, PackSize: repo.MinPackSize}

func open(t *testing.T, be backend.Backend, password string) (*repo.Repository, error) {
	t.Helper()
	r, err := repo.Open(t.Context(), be, password, testOpts)
	if err == nil {
		t.Cleanup(func() { _ = r.Close() })
	}
	return r, err
}

func TestInitOpen(t *testing.T) {
	for _, version := range []int{1, 2} {
		be := mem.New()
		opts := testOpts
		opts.Version = version
		r, err := repo.Init(t.Context(), be, "pw", opts)
		if err != nil {
			t.Fatal(err)
		}
		cfg := r.Config()
		if cfg.Version != uint(version) || len(cfg.ID) != 64 || !cfg.ChunkerPolynomial.Irreducible() {
			t.Fatalf("config %+v", cfg)
		}
		r.Close()
		if _, err := repo.Init(t.Context(), be, "pw", opts); !errors.Is(err, repo.ErrAlreadyExists) {
			t.Fatalf("second init: %v", err)
		}
		r2, err := open(t, be, "pw")
		if err != nil {
			t.Fatal(err)
		}
		if r2.Config() != cfg || r2.KeyID() != r.KeyID() {
			t.Fatalf("reopened config %+v, want %+v", r2.Config(), cfg)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	be := mem.New()
	_, err := open(t, be, "pw")
	if !errors.Is(err, repo.ErrNoRepository) || !strings.Contains(err.Error(), "no repository at mem:") {
		t.Fatalf("empty backend: %v", err)
	}
	r, err := repo.Init(t.Context(), be, "right", testOpts)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	_, err = open(t, be, "wrong")
	if !errors.Is(err, repo.ErrWrongPassword) || !strings.Contains(err.Error(), "check the password") {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := repo.Init(t.Context(), mem.New(), "pw", repo.Options{Version: 3, KDF: repo.TestKDFParams}); !errors.Is(err, repo.ErrUnsupportedVersion) {
		t.Fatalf("init version 3: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := repo.Open(ctx, be, "right", testOpts); err == nil {
		t.Fatal("open with a cancelled context succeeded")
	}
}

func TestKeys(t *testing.T) {
	be := mem.New()
	r, err := repo.Init(t.Context(), be, "one", testOpts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := t.Context()
	second, err := r.AddKey(ctx, "two")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := r.ListKeys(ctx)
	if err != nil || len(keys) != 2 {
		t.Fatalf("%d keys, %v", len(keys), err)
	}
	for _, k := range keys {
		if k.Current != (k.ID == r.KeyID()) || k.KDF != repo.TestKDFParams {
			t.Fatalf("key %+v", k)
		}
	}
	if _, err := open(t, be, "two"); err != nil {
		t.Fatalf("opening with the added key: %v", err)
	}
	if err := r.RemoveKey(ctx, r.KeyID().String()[:10]); !errors.Is(err, repo.ErrKeyInUse) {
		t.Fatalf("removing the key in use: %v", err)
	}
	if err := r.RemoveKey(ctx, second.Str()); err != nil {
		t.Fatal(err)
	}
	if _, err := open(t, be, "two"); !errors.Is(err, repo.ErrWrongPassword) {
		t.Fatalf("removed key still opens: %v", err)
	}
	if err := r.RemoveKey(ctx, "ffffffffff"); !errors.Is(err, repo.ErrNotFound) && !errors.Is(err, repo.ErrAmbiguous) {
		t.Fatalf("removing a missing key: %v", err)
	}
	old := r.KeyID()
	newID, err := r.ChangePassword(ctx, "three")
	if err != nil || newID == old || r.KeyID() != newID {
		t.Fatalf("change password: %v", err)
	}
	if _, err := open(t, be, "one"); !errors.Is(err, repo.ErrWrongPassword) {
		t.Fatalf("old password still opens: %v", err)
	}
	r3, err := open(t, be, "three")
	if err != nil || r3.KeyID() != newID {
		t.Fatalf("new password: %v", err)
	}
	if _, err := r.AddKey(ctx, ""); err == nil {
		t.Fatal("empty password accepted")
	}
}

func TestKeyHint(t *testing.T) {
	be := mem.New()
	r, err := repo.Init(t.Context(), be, "a", testOpts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	id, err := r.AddKey(t.Context(), "b")
	if err != nil {
		t.Fatal(err)
	}
	opts := testOpts
	opts.KeyHint = id.Str()
	r2, err := repo.Open(t.Context(), be, "b", opts)
	if err != nil || r2.KeyID() != id {
		t.Fatalf("open with hint: %v", err)
	}
	r2.Close()
}
