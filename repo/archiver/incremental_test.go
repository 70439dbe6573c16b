package archiver_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/archiver"
)

// TestIncrementalReadsOnlyChanges backs up with a parent: only the changed
// and new files are opened, unchanged directories keep their trees and the
// summary says so.
func TestIncrementalReadsOnlyChanges(t *testing.T) {
	src := t.TempDir()
	makeFixture(t, src)
	r := repo.TestRepository(t, 2)
	first, err := archiver.Backup(t.Context(), r, []string{src}, archiver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(src, "a", "b", "c", "deep.txt")
	write(t, changed, text(99, 3<<20), 0o640)
	added := filepath.Join(src, "emptydir", "added")
	write(t, added, []byte("new"), 0o644)

	var opened []string
	archiver.SetTestHookOpen(func(p string) { opened = append(opened, p) }) // one reader below
	defer archiver.SetTestHookOpen(nil)
	before := r.SaveStats()
	res, err := archiver.Backup(t.Context(), r, []string{src}, archiver.Options{Parent: "latest", ReadConcurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(opened) != 2 || res.FilesRead != 2 {
		t.Fatalf("opened %v (FilesRead %d), want only %s and %s", opened, res.FilesRead, changed, added)
	}
	s := res.Snapshot.Summary
	if s.FilesNew != 1 || s.FilesChanged != 1 || s.FilesUnmodified != 9 || s.DirsUnmodified == 0 || s.DirsChanged == 0 {
		t.Fatalf("summary %+v", s)
	}
	if *res.Snapshot.Parent != first.SnapshotID {
		t.Fatalf("parent %v, want %v", res.Snapshot.Parent, first.SnapshotID)
	}
	if added := r.SaveStats().DataAdded - before.DataAdded; added > 3<<20+100 {
		t.Fatalf("incremental backup added %d data bytes", added)
	}
	nodes := flatten(t, r, *res.Snapshot.Tree)
	compareTree(t, r, src, src[1:], nodes)

	// an unchanged tree saves no new blobs; with a new ctime the file is
	// read again unless ctime is ignored
	now := time.Now()
	must(t, os.Chtimes(changed, now, mtimeOf(t, changed))) // ctime changes, mtime kept
	opened = nil
	parent := res.SnapshotID.String()
	if _, err := archiver.Backup(t.Context(), r, []string{src}, archiver.Options{Parent: parent, IgnoreCtime: true}); err != nil {
		t.Fatal(err)
	}
	if len(opened) != 0 {
		t.Fatalf("IgnoreCtime: opened %v", opened)
	}
	if _, err := archiver.Backup(t.Context(), r, []string{src}, archiver.Options{Parent: parent}); err != nil {
		t.Fatal(err)
	}
	if len(opened) != 1 {
		t.Fatalf("ctime changed: opened %v, want %s", opened, changed)
	}
}

func mtimeOf(t *testing.T, p string) time.Time {
	fi, err := os.Stat(p)
	must(t, err)
	return fi.ModTime()
}

// TestCancelAndResume cancels a backup midway, checks that the uploaded
// packs are indexed, and runs it again: the second run must upload no
// more than what the first left missing (plus 5%).
func TestCancelAndResume(t *testing.T) {
	src := t.TempDir()
	for i := range 12 {
		write(t, filepath.Join(src, "f"+string(rune('a'+i))), randomBytes(uint64(100+i), 6<<20), 0o644)
	}
	_, r := localRepo(t)
	be := r.Backend()
	opts := repo.Options{KDF: repo.TestKDFParams, PackSize: repo.MinPackSize}
	r1, err := repo.Open(t.Context(), be, repo.TestPassword, opts)
	must(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var cancelledAt atomic.Int64
	_, err = archiver.Backup(ctx, r1, []string{src}, archiver.Options{
		ProgressInterval: time.Millisecond,
		OnProgress: func(p archiver.Progress) {
			if p.BytesDone > 40<<20 && cancelledAt.Load() == 0 {
				cancelledAt.Store(time.Now().UnixNano())
				cancel()
			}
		},
	})
	if err == nil || cancelledAt.Load() == 0 {
		t.Fatalf("backup not cancelled: %v", err)
	}
	if d := time.Since(time.Unix(0, cancelledAt.Load())); d > 30*time.Second { // catches a hang, not slowness
		t.Fatalf("backup took %v to stop", d)
	}
	cp := r1.Checkpoint()
	if cp.PacksUploaded == 0 || cp.PacksIndexed != cp.PacksUploaded {
		t.Fatalf("checkpoint after cancel: %+v", cp)
	}
	must(t, r1.Close())

	// what the interrupted run made durable, seen by a new process
	known, err := repo.Open(t.Context(), be, repo.TestPassword, opts)
	must(t, err)
	defer known.Close()
	r2, err := repo.Open(t.Context(), be, repo.TestPassword, opts)
	must(t, err)
	defer r2.Close()
	res, err := archiver.Backup(t.Context(), r2, []string{src}, archiver.Options{Resume: &cp})
	must(t, err)
	var missing, have uint64
	seen := map[repo.ID]bool{}
	for _, n := range flatten(t, r2, *res.Snapshot.Tree) {
		for _, id := range n.Content {
			if seen[id] {
				continue
			}
			seen[id] = true
			if size, ok := known.BlobSize(repo.DataBlob, id); ok {
				have += uint64(size)
			} else {
				size, _ := r2.BlobSize(repo.DataBlob, id)
				missing += uint64(size)
			}
		}
	}
	added := r2.SaveStats().DataAdded
	t.Logf("interrupted run made %d MiB durable; %d MiB missing; resumed run added %d MiB", have>>20, missing>>20, added>>20)
	if have == 0 || missing == 0 {
		t.Fatalf("cancelled too early or too late: have %d, missing %d", have, missing)
	}
	if float64(added) > 1.05*float64(missing) {
		t.Fatalf("resumed run added %d bytes, missing were %d", added, missing)
	}
	if _, err := r2.Check(t.Context(), repo.CheckOptions{ReadData: true}); err != nil {
		t.Fatal(err)
	}
}

// TestIncrementalMovedTarget backs up a folder that moved since its parent
// snapshot (a pod volume's folder changes with the pod's UID): with
// ParentPath naming where it was, no unchanged file is read again.
func TestIncrementalMovedTarget(t *testing.T) {
	base := t.TempDir()
	old, moved := filepath.Join(base, "pod-1", "vol"), filepath.Join(base, "pod-2", "vol")
	must(t, os.MkdirAll(old, 0o755))
	makeFixture(t, old)
	r := repo.TestRepository(t, 2)
	first, err := archiver.Backup(t.Context(), r, []string{old}, archiver.Options{})
	must(t, err)
	must(t, os.MkdirAll(filepath.Dir(moved), 0o755))
	must(t, os.Rename(old, moved)) // the files keep their inodes and ctimes

	var opened atomic.Int64
	archiver.SetTestHookOpen(func(string) { opened.Add(1) })
	defer archiver.SetTestHookOpen(nil)
	parent := first.SnapshotID.String()
	res, err := archiver.Backup(t.Context(), r, []string{moved}, archiver.Options{Parent: parent})
	must(t, err)
	if opened.Load() == 0 || res.FilesRead == 0 {
		t.Fatalf("without ParentPath the moved folder matched its parent: %d files read", res.FilesRead)
	}
	opened.Store(0)
	res, err = archiver.Backup(t.Context(), r, []string{moved}, archiver.Options{Parent: parent, ParentPath: old})
	must(t, err)
	if opened.Load() != 0 || res.FilesRead != 0 || res.Snapshot.Summary.FilesUnmodified == 0 {
		t.Fatalf("with ParentPath: opened %d files, FilesRead %d, summary %+v", opened.Load(), res.FilesRead, res.Snapshot.Summary)
	}
	compareTree(t, r, moved, moved[1:], flatten(t, r, *res.Snapshot.Tree))

	// A ParentPath the parent does not have: every file is read.
	opened.Store(0)
	res, err = archiver.Backup(t.Context(), r, []string{moved}, archiver.Options{Parent: parent, ParentPath: "/no/such/folder"})
	must(t, err)
	if res.FilesRead == 0 {
		t.Fatal("a ParentPath absent from the parent matched something")
	}
	if _, err := archiver.Backup(t.Context(), r, []string{moved, t.TempDir()}, archiver.Options{Parent: parent, ParentPath: old}); err == nil || !strings.Contains(err.Error(), "ParentPath") {
		t.Fatal("ParentPath with two targets was accepted")
	}
}
