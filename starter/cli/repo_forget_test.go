package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend/local"
)

const forgetPassword = "forget password"

// forgetFixture is a repository of snapshots of two hosts and two paths,
// each with a file of its own content in a pack of its own.
type forgetFixture struct {
	dir   string
	sns   []*repo.Snapshot // oldest first within each host
	blobs []repo.ID        // the file content of sns[i]
}

func newForgetFixture(t *testing.T) *forgetFixture {
	t.Helper()
	ctx := t.Context()
	fx := &forgetFixture{dir: filepath.Join(t.TempDir(), "repo")}
	be, err := local.Create(ctx, fx.dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := repo.Init(ctx, be, forgetPassword, repo.Options{KDF: repo.TestKDFParams})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i, s := range []struct {
		day, host, path string
		tags            []string
	}{
		{"2024-01-01T10:00:00Z", "a", "/data", nil},
		{"2024-01-02T10:00:00Z", "a", "/data", []string{"weekly"}},
		{"2024-01-03T10:00:00Z", "a", "/data", nil},
		{"2024-01-04T10:00:00Z", "a", "/data", nil},
		{"2024-01-02T12:00:00Z", "b", "/data", []string{"x"}},
		{"2024-01-03T12:00:00Z", "b", "/data", nil},
		{"2024-01-05T12:00:00Z", "b", "/etc", nil},
	} {
		when, _ := time.Parse(time.RFC3339, s.day)
		sn := &repo.Snapshot{Time: when, Hostname: s.host, Paths: []string{s.path}, Tags: s.tags}
		fx.blobs = append(fx.blobs, saveFileSnapshot(t, r, sn, uint64(i)))
		fx.sns = append(fx.sns, sn)
	}
	return fx
}

// saveFileSnapshot saves sn with one file of random content and flushes,
// so the file's blob is in a pack of its own.
func saveFileSnapshot(t *testing.T, r *repo.Repository, sn *repo.Snapshot, seed uint64) repo.ID {
	t.Helper()
	ctx := t.Context()
	data := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(seed, 7))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	blob, _, err := r.SaveBlob(ctx, repo.DataBlob, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := r.SaveTree(ctx, &repo.Tree{Nodes: []repo.Node{{Name: "f", Type: repo.NodeTypeFile, Mode: 0o644,
		ModTime: sn.Time, AccessTime: sn.Time, ChangeTime: sn.Time, Size: uint64(len(data)), Links: 1, Content: []repo.ID{blob}}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	sn.Tree = &tree
	if _, err := r.SaveSnapshot(ctx, sn); err != nil {
		t.Fatal(err)
	}
	return blob
}

// open opens the fixture's repository (with its index).
func (fx *forgetFixture) open(t *testing.T) *repo.Repository {
	t.Helper()
	be, err := local.Open(t.Context(), fx.dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := repo.Open(t.Context(), be, forgetPassword, repo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// left lists the fixture snapshots (by index) still in the repository,
// and fails the test if locks were left behind.
func (fx *forgetFixture) left(t *testing.T) []int {
	t.Helper()
	r := fx.open(t)
	sns, err := r.ListSnapshots(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var left []int
	for i, want := range fx.sns {
		if slices.ContainsFunc(sns, func(sn *repo.Snapshot) bool { return sn.ID() == want.ID() }) {
			left = append(left, i)
		}
	}
	if locks, err := r.ListLocks(t.Context()); err != nil || len(locks) > 0 {
		t.Errorf("locks left behind: %v %v", locks, err)
	}
	return left
}

func (fx *forgetFixture) id(i int) string { return fx.sns[i].ID().Str() }

func TestRepoForget(t *testing.T) {
	fx := newForgetFixture(t)
	t.Setenv("CAIRN_REPO_PASSWORD", forgetPassword)
	t.Setenv("RESTIC_PASSWORD", "")
	all := []int{0, 1, 2, 3, 4, 5, 6}
	forgetCmd := func(args ...string) []string { return append([]string{"repo", "forget", "-r", fx.dir}, args...) }

	out := mustCairn(t, forgetCmd("--keep-last", "2", "--dry-run")...)
	for _, want := range []string{
		"Applying Policy: keep 2 latest snapshots\n",
		"snapshots for (host [a], paths [/data]):\nkeep 2 snapshots:\n",
		"snapshots for (host [b], paths [/etc]):\nkeep 1 snapshots:\n",
		"remove 2 snapshots:\n",
		fx.id(3) + "  2024-01-04", "last snapshot",
		"Would have removed the following snapshots:\n{" + shortIDList(fx, 0, 1) + "}\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the dry run does not print %q:\n%s", want, out)
		}
	}
	if left := fx.left(t); !slices.Equal(left, all) {
		t.Fatalf("the dry run removed snapshots: %v left", left)
	}

	out = mustCairn(t, forgetCmd("--keep-last", "2")...)
	if !strings.Contains(out, "removed 2 snapshots") || strings.Contains(out, "Would have") {
		t.Errorf("forget printed:\n%s", out)
	}
	if left := fx.left(t); !slices.Equal(left, []int{2, 3, 4, 5, 6}) {
		t.Fatalf("after --keep-last 2: %v left, want 2 3 4 5 6", left)
	}

	t.Run("bad input", func(t *testing.T) { testForgetBadInput(t, fx, forgetCmd) })
	t.Run("json", func(t *testing.T) { testForgetJSON(t, fx, forgetCmd) })
	t.Run("ids", func(t *testing.T) { testForgetIDs(t, fx, forgetCmd) })
	t.Run("locked", func(t *testing.T) { testForgetLocked(t, fx, forgetCmd) })
	t.Run("prune", func(t *testing.T) { testForgetPrune(t, fx, forgetCmd) })
}

func shortIDList(fx *forgetFixture, is ...int) string {
	var ids []string
	for _, i := range is {
		ids = append(ids, fx.id(i))
	}
	slices.Sort(ids)
	return strings.Join(ids, " ")
}

// testForgetBadInput: every bad flag fails with a message naming it, and
// nothing is removed.
func testForgetBadInput(t *testing.T, fx *forgetFixture, forgetCmd func(...string) []string) {
	before := fx.left(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "no policy was specified, no snapshots will be removed"},
		{[]string{"--keep-last", "0"}, "no policy was specified"},
		{[]string{"--keep-last", "-2"}, "keep-last"},
		{[]string{"--keep-daily", "many"}, "unlimited"},
		{[]string{"--keep-last", "1", "--group-by", "hostname"}, `unknown --group-by field "hostname"`},
		{[]string{"--keep-within", "1w"}, "1y5m7d2h"},
		{[]string{"--keep-within-daily", "-1d"}, "keep-within-daily -1d"},
		{[]string{"--keep-last", "1", fx.id(2)}, "cannot be combined"},
		{[]string{"--keep-last", "1", "--prune", "--max-unused", "200%"}, "--max-unused"},
		{[]string{"--keep-last", "1", "--prune", "--max-repack-size", "lots"}, "--max-repack-size"},
		{[]string{"--unsafe-allow-remove-all"}, "snapshot filter"},
		{[]string{"--keep-tag", "nowhere"}, "refusing to delete the last snapshot"},
		{[]string{"ffffffffff"}, "nothing was removed"},
	} {
		code, _, errOut := cairn(t, forgetCmd(c.args...)...)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("forget %q: exit %d, %q; want an error mentioning %q", c.args, code, errOut, c.want)
		}
	}
	if left := fx.left(t); !slices.Equal(left, before) {
		t.Errorf("bad input removed snapshots: %v left, had %v", left, before)
	}
}

func testForgetJSON(t *testing.T, fx *forgetFixture, forgetCmd func(...string) []string) {
	out := mustCairn(t, forgetCmd("--keep-last", "1", "--keep-tag", "x", "--group-by", "", "--dry-run", "--json")...)
	var groups []struct {
		Host    string
		Keep    []struct{ ID string }
		Remove  []struct{ ID string }
		Reasons []struct{ Matches []string }
	}
	if err := json.Unmarshal([]byte(out), &groups); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(groups) != 1 || len(groups[0].Keep) != 2 || len(groups[0].Remove) != 3 || groups[0].Keep[0].ID != fx.sns[6].ID().String() ||
		strings.Join(groups[0].Reasons[1].Matches, ",") != "has tags [x]" {
		t.Errorf("json: %+v", groups)
	}
}

func testForgetIDs(t *testing.T, fx *forgetFixture, forgetCmd func(...string) []string) {
	out := mustCairn(t, forgetCmd("--dry-run", fx.sns[5].ID().String()[:10])...)
	if !strings.Contains(out, "Would have removed the following snapshots:\n{"+fx.id(5)+"}") {
		t.Errorf("dry run by id printed:\n%s", out)
	}
	mustCairn(t, forgetCmd(fx.sns[5].ID().String()[:10])...)
	if left := fx.left(t); !slices.Equal(left, []int{2, 3, 4, 6}) {
		t.Fatalf("after removing %s: %v left", fx.id(5), left)
	}
	// latest with a filter is the newest snapshot that passes it.
	mustCairn(t, forgetCmd("--dry-run", "--host", "a", "latest")...)
	if code, _, errOut := cairn(t, forgetCmd("--host", "b", fx.id(3))...); code == 0 || !strings.Contains(errOut, "does not match") {
		t.Errorf("an id outside --host: exit %d, %q", code, errOut)
	}
}

func testForgetLocked(t *testing.T, fx *forgetFixture, forgetCmd func(...string) []string) {
	r := fx.open(t)
	lock, err := r.Lock(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := cairn(t, forgetCmd("--keep-last", "1")...)
	if err := lock.Unlock(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code != 11 || !strings.Contains(errOut, "locked") {
		t.Errorf("forget while locked: exit %d, %q; want 11 and the lock named", code, errOut)
	}
	if left := fx.left(t); !slices.Equal(left, []int{2, 3, 4, 6}) {
		t.Errorf("forget while locked removed snapshots: %v left", left)
	}
}

// testForgetPrune removes snapshot 2 and prunes: its file's data is gone,
// the data of the others stays and the repository checks clean.
func testForgetPrune(t *testing.T, fx *forgetFixture, forgetCmd func(...string) []string) {
	code, out, errOut := cairn(t, forgetCmd("--keep-last", "1", "--prune", "--max-unused", "0%")...)
	if code != 0 {
		t.Fatalf("forget --prune: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"1 snapshots have been removed, running prune", "total prune:", "removed:"} {
		if !strings.Contains(out, want) {
			t.Errorf("forget --prune does not print %q:\n%s", want, out)
		}
	}
	if left := fx.left(t); !slices.Equal(left, []int{3, 4, 6}) {
		t.Fatalf("after --keep-last 1 --prune: %v left", left)
	}
	r := fx.open(t)
	for i, blob := range fx.blobs {
		if want := slices.Contains([]int{3, 4, 6}, i); r.HasBlob(repo.DataBlob, blob) != want {
			t.Errorf("after the prune, snapshot %d's data is there: %v, want %v", i, !want, want)
		}
	}
	if out := mustCairn(t, "repo", "check", "-r", fx.dir, "--read-data"); !strings.Contains(out, "no errors were found") {
		t.Errorf("check after the prune:\n%s", out)
	}
}

func TestPrintPruneSummary(t *testing.T) {
	st := &repo.PruneStats{KeptBytes: 3 << 20, RemovedBytes: 5 << 20, RepackedBytes: 2 << 20, WrittenBytes: 1 << 20,
		IndexFilesWritten: 1, IndexFilesRemoved: 3, SizeBefore: 10 << 20, SizeAfter: 4 << 20}
	st.Blobs.Used, st.Blobs.Unused, st.Blobs.Remove, st.Blobs.Repack, st.Blobs.RepackRemove = 10, 6, 4, 3, 2
	st.Size.Used, st.Size.Unused, st.Size.Remove, st.Size.Repack, st.Size.RepackRemove = 4<<20, 6<<20, 4<<20, 2<<20, 1<<20
	st.Packs.Used, st.Packs.PartlyUsed, st.Packs.Unused, st.Packs.Keep, st.Packs.Repack, st.Packs.Remove = 2, 1, 3, 2, 1, 4
	var b bytes.Buffer
	printPruneSummary(&b, st)
	for _, want := range []string{
		"used:                 10 blobs / 4.000 MiB\n",
		"unused:                6 blobs / 6.000 MiB\n",
		"total:                16 blobs / 10.000 MiB\n",
		"unused size: 60.00% of total size\n",
		"to repack:             3 blobs / 2.000 MiB\n",
		"this removes:          2 blobs / 1.000 MiB\n",
		"to delete:             4 blobs / 4.000 MiB\n",
		"total prune:           6 blobs / 5.000 MiB\n",
		"remaining:            10 blobs / 5.000 MiB\n",
		"unused size after prune: 1.000 MiB (20.00% of remaining size)\n",
		"kept:                  2 packs / 3.000 MiB\n",
		"repacked:              1 packs / 2.000 MiB, written into 1.000 MiB\n",
		"removed:               4 packs / 5.000 MiB\n",
		"index:                 1 files written, 3 removed\n",
		"repository:   10.000 MiB before, 4.000 MiB after\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the summary lacks %q:\n%s", want, b.String())
		}
	}
	st.DryRun = true
	b.Reset()
	printPruneSummary(&b, &repo.PruneStats{DryRun: true})
	if !strings.Contains(b.String(), "to remove:") || !strings.Contains(b.String(), "dry run") || strings.Contains(b.String(), "NaN") {
		t.Errorf("an empty dry-run summary:\n%s", b.String())
	}
}
