package repo_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo"
)

func TestSnapshots(t *testing.T) {
	r := repo.TestRepository(t, 2)
	ctx := t.Context()
	tree, err := r.SaveTree(ctx, &repo.Tree{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.SaveSnapshot(ctx, &repo.Snapshot{Tree: &tree}); !errors.Is(err, repo.ErrNotFlushed) {
		t.Fatalf("snapshot before flush: %v", err)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	var ids []repo.ID
	for i := range 3 {
		sn := &repo.Snapshot{Time: base.Add(time.Duration(i) * time.Hour), Tree: &tree, Paths: []string{"/data"},
			Hostname: "h", Tags: []string{"t"}, ProgramVersion: "cairn test",
			Summary: &repo.SnapshotSummary{BackupStart: base, BackupEnd: base, DataBlobs: i}}
		id, err := r.SaveSnapshot(ctx, sn)
		if err != nil || sn.ID() != id {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	sns, err := r.ListSnapshots(ctx)
	if err != nil || len(sns) != 3 {
		t.Fatalf("%d snapshots, %v", len(sns), err)
	}
	for i, sn := range sns {
		if sn.ID() != ids[i] || sn.Summary.DataBlobs != i || *sn.Tree != tree {
			t.Fatalf("snapshot %d: %+v", i, sn)
		}
	}
	latest, err := r.FindSnapshot(ctx, "latest")
	if err != nil || latest.ID() != ids[2] {
		t.Fatalf("latest: %v", err)
	}
	byPrefix, err := r.FindSnapshot(ctx, ids[0].Str())
	if err != nil || byPrefix.ID() != ids[0] {
		t.Fatalf("prefix: %v", err)
	}
	if _, err := r.FindSnapshot(ctx, "0123456789abcdef"); !errors.Is(err, repo.ErrNotFound) && !errors.Is(err, repo.ErrAmbiguous) {
		t.Fatalf("unknown prefix: %v", err)
	}
	if _, err := r.LoadSnapshot(ctx, repo.Hash(nil)); !errors.Is(err, repo.ErrNotFound) {
		t.Fatalf("missing snapshot: %v", err)
	}
	empty := repo.TestRepository(t, 2)
	if _, err := empty.FindSnapshot(ctx, "latest"); !errors.Is(err, repo.ErrNotFound) {
		t.Fatalf("latest of none: %v", err)
	}
}

func TestSnapshotJSON(t *testing.T) {
	tree := repo.Hash([]byte("t"))
	b, err := json.Marshal(&repo.Snapshot{Time: time.Unix(0, 0).UTC(), Tree: &tree})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"time":"1970-01-01T00:00:00Z","tree":"` + tree.String() + `","paths":null}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	full := `{"time":"2024-01-01T00:00:00Z","parent":"` + tree.String() + `","tree":"` + tree.String() + `","paths":["/"],` +
		`"hostname":"h","username":"u","uid":1,"gid":2,"excludes":["x"],"tags":["a"],"original":"` + tree.String() + `",` +
		`"program_version":"restic 0.18.1","summary":{"backup_start":"2024-01-01T00:00:00Z","backup_end":"2024-01-01T00:00:01Z",` +
		`"files_new":1,"files_changed":2,"files_unmodified":3,"dirs_new":4,"dirs_changed":5,"dirs_unmodified":6,` +
		`"data_blobs":7,"tree_blobs":8,"data_added":9,"data_added_packed":10,"total_files_processed":11,"total_bytes_processed":12},"future":1}`
	sn, err := repo.DecodeSnapshot([]byte(full))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(sn)
	if string(again) != strings.Replace(full, `,"future":1`, "", 1) {
		t.Fatalf("round trip:\n%s\n%s", again, full)
	}
	if _, err := repo.DecodeSnapshot([]byte(`{"time":"2024-01-01T00:00:00Z"}`)); !errors.Is(err, repo.ErrInvalidData) {
		t.Fatalf("snapshot without tree: %v", err)
	}
}
