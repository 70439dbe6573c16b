package forget

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
)

// save stores sns in r, all with one empty tree, and sets their ids.
func save(t *testing.T, r *repo.Repository, sns ...*repo.Snapshot) {
	t.Helper()
	ctx := t.Context()
	tree, err := r.SaveTree(ctx, &repo.Tree{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, sn := range sns {
		sn.Tree = &tree
		if _, err := r.SaveSnapshot(ctx, sn); err != nil {
			t.Fatal(err)
		}
	}
}

// remaining lists the times of r's snapshots, oldest first.
func remaining(t *testing.T, r *repo.Repository) string {
	t.Helper()
	sns, err := r.ListSnapshots(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, sn := range sns {
		s = append(s, sn.Time.Format("01-02"))
	}
	return strings.Join(s, " ")
}

func TestByIDs(t *testing.T) {
	r := repo.TestRepository(t, 2)
	sns := []*repo.Snapshot{snap(t, "2024-01-01T00:00:00Z"), snap(t, "2024-01-02T00:00:00Z"), snap(t, "2024-01-03T00:00:00Z")}
	save(t, r, sns...)
	ctx := t.Context()

	for _, bad := range [][]string{{sns[0].ID().Str(), "ffffffffffff"}, {sns[0].ID().String(), ""}, nil} {
		if _, err := ByIDs(ctx, r, bad); err == nil {
			t.Errorf("ByIDs(%q) succeeded", bad)
		}
	}
	if got := remaining(t, r); got != "01-01 01-02 01-03" {
		t.Fatalf("a failed ByIDs removed snapshots: %s", got)
	}
	removed, err := ByIDs(ctx, r, []string{sns[0].ID().Str(), sns[0].ID().String(), sns[2].ID().String()[:5]})
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 2 || removed[0].ID() != sns[0].ID() || removed[1].ID() != sns[2].ID() {
		t.Errorf("removed %v", removed)
	}
	if got := remaining(t, r); got != "01-02" {
		t.Errorf("left %s", got)
	}
	// With a filter, latest is the newest that passes it, and ids must pass it.
	sns[0].Hostname = "other"
	other := repo.SnapshotFilter{Hosts: []string{"other"}}
	save(t, r, sns[0])
	if _, err := Resolve(ctx, r, []string{sns[1].ID().String()}, other); !errors.Is(err, repo.ErrNotFound) {
		t.Errorf("an id outside the filter: %v", err)
	}
	if got, err := Resolve(ctx, r, []string{"latest"}, other); err != nil || len(got) != 1 || got[0].ID() != sns[0].ID() {
		t.Errorf("latest of host other: %v, %v", got, err)
	}
	if err := Remove(ctx, r, sns[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := ByIDs(ctx, r, []string{"latest"}); err != nil || remaining(t, r) != "" {
		t.Errorf("latest: %v, left %s", err, remaining(t, r))
	}
	if _, err := ByIDs(ctx, r, []string{sns[1].ID().String()}); !errors.Is(err, repo.ErrNotFound) ||
		!strings.Contains(err.Error(), "nothing was removed") {
		t.Errorf("removing a removed snapshot: %v", err)
	}
}

func TestResolveAmbiguous(t *testing.T) {
	r := repo.TestRepository(t, 2)
	var sns []*repo.Snapshot
	for day := range 40 {
		sns = append(sns, snap(t, "2024-01-01T00:00:00Z"))
		sns[day].Hostname = strings.Repeat("h", day+1)
	}
	save(t, r, sns...)
	// 40 ids share their first hex digit with another one.
	digit := map[byte]int{}
	for _, sn := range sns {
		digit[sn.ID().String()[0]]++
	}
	for d, n := range digit {
		if n > 1 {
			if _, err := Resolve(t.Context(), r, []string{string(d)}, repo.SnapshotFilter{}); !errors.Is(err, repo.ErrAmbiguous) {
				t.Errorf("prefix %c of %d snapshots: %v", d, n, err)
			}
			return
		}
	}
}

// failingRemove fails removing one snapshot file.
type failingRemove struct {
	backend.Backend
	name string
}

func (b failingRemove) Remove(ctx context.Context, h backend.Handle) error {
	if h.Type == backend.SnapshotFile && h.Name == b.name {
		return errors.New("permission denied")
	}
	return b.Backend.Remove(ctx, h)
}

func TestRemoveReportsFailures(t *testing.T) {
	r := repo.TestRepository(t, 2)
	sns := []*repo.Snapshot{snap(t, "2024-01-01T00:00:00Z"), snap(t, "2024-01-02T00:00:00Z"), snap(t, "2024-01-03T00:00:00Z")}
	save(t, r, sns...)
	r2, err := repo.Open(t.Context(), failingRemove{r.Backend(), sns[1].ID().String()}, repo.TestPassword, repo.Options{NoIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	err = Remove(t.Context(), r2, sns)
	if err == nil || !strings.Contains(err.Error(), sns[1].ID().Str()) || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("error %v does not name the snapshot and the cause", err)
	}
	if got := remaining(t, r); got != "01-02" {
		t.Errorf("the other snapshots were not removed: left %s", got)
	}
	if err := Remove(t.Context(), r, []*repo.Snapshot{{}}); err == nil {
		t.Error("removing an unsaved snapshot succeeded")
	}
}

func TestByPolicy(t *testing.T) {
	r := repo.TestRepository(t, 2)
	mk := func(when, host string, tags ...string) *repo.Snapshot {
		sn := snap(t, when, tags...)
		sn.Hostname = host
		return sn
	}
	save(t, r,
		mk("2024-01-01T00:00:00Z", "a"), mk("2024-01-02T00:00:00Z", "a"), mk("2024-01-03T00:00:00Z", "a", "keep"),
		mk("2024-01-04T00:00:00Z", "b"), mk("2024-01-05T00:00:00Z", "b", "other"),
	)
	ctx := t.Context()
	opts := Options{Policy: Policy{Last: 1}, GroupBy: DefaultGroupBy, DryRun: true}

	res, err := ByPolicy(ctx, r, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Groups) != 2 || res.Groups[0].Key.Hostname != "a" || len(res.Groups[0].Keep) != 1 ||
		len(res.Groups[0].Remove) != 2 || len(res.Removed()) != 3 || !res.DryRun {
		t.Fatalf("dry run: %+v", res)
	}
	if got := remaining(t, r); got != "01-01 01-02 01-03 01-04 01-05" {
		t.Fatalf("a dry run removed snapshots: %s", got)
	}

	// Refusals remove nothing.
	for _, bad := range []Options{
		{GroupBy: DefaultGroupBy},
		{Policy: Policy{Tags: []TagList{{"keep"}}}, GroupBy: DefaultGroupBy},
		{Policy: Policy{Daily: -3}},
		{AllowRemoveAll: true},
	} {
		if _, err := ByPolicy(ctx, r, bad); err == nil {
			t.Errorf("%+v succeeded", bad)
		}
	}
	if _, err := ByPolicy(ctx, r, Options{Policy: Policy{Tags: []TagList{{"keep"}}}, GroupBy: DefaultGroupBy}); err == nil ||
		!strings.Contains(err.Error(), "host [b], paths [/data]") || !strings.Contains(err.Error(), "nothing was removed") {
		t.Errorf("keeping none of a group: %v", err)
	}
	if got := remaining(t, r); got != "01-01 01-02 01-03 01-04 01-05" {
		t.Fatalf("a refused policy removed snapshots: %s", got)
	}

	// The filter limits what is considered.
	opts = Options{Policy: Policy{Last: 1}, GroupBy: DefaultGroupBy, Filter: repo.SnapshotFilter{Hosts: []string{"a"}}}
	if _, err := ByPolicy(ctx, r, opts); err != nil {
		t.Fatal(err)
	}
	if got := remaining(t, r); got != "01-03 01-04 01-05" {
		t.Fatalf("after keep-last 1 --host a: %s", got)
	}
	// No grouping, keep by tag.
	opts = Options{Policy: Policy{Tags: []TagList{{"keep"}, {"other"}}}}
	res, err = ByPolicy(ctx, r, opts)
	if err != nil || len(res.Groups) != 1 || res.Groups[0].Key.String() != "" {
		t.Fatalf("%+v, %v", res, err)
	}
	if got := remaining(t, r); got != "01-03 01-05" {
		t.Fatalf("after keep-tag with no grouping: %s", got)
	}
	// Removing everything that passes a filter.
	opts = Options{AllowRemoveAll: true, Filter: repo.SnapshotFilter{Tags: []string{"other"}}, GroupBy: DefaultGroupBy}
	if _, err := ByPolicy(ctx, r, opts); err != nil {
		t.Fatal(err)
	}
	if got := remaining(t, r); got != "01-03" {
		t.Fatalf("after removing all tagged other: %s", got)
	}
}

func TestPlanDoesNotTouchSnapshots(t *testing.T) {
	sns := []*repo.Snapshot{snap(t, "2024-01-02T00:00:00Z"), snap(t, "2024-01-01T00:00:00Z")}
	sns[0].Paths = []string{"/b", "/a"}
	sns[1].Paths = []string{"/a", "/b"}
	res, err := Plan(sns, Options{Policy: Policy{Last: 1}, GroupBy: DefaultGroupBy, Now: testNow})
	if err != nil || len(res.Groups) != 1 || !slices.Equal(res.Groups[0].Key.Paths, []string{"/a", "/b"}) {
		t.Fatalf("%+v, %v", res, err)
	}
	if sns[0].Paths[0] != "/b" {
		t.Error("Plan sorted a snapshot's paths")
	}
}
