package forget_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend/local"
	"github.com/cairn-backup/cairn/repo/forget"
)

// resticBinary returns the test bed's restic, or skips the test.
func resticBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("interoperability tests run the restic binary")
	}
	dir := os.Getenv("CAIRN_TOOLS_BIN")
	if dir == "" {
		dir = "../../.tools/bin"
	}
	p, err := filepath.Abs(filepath.Join(dir, "restic"))
	if err == nil {
		_, err = os.Stat(p)
	}
	if err != nil {
		t.Skipf("restic binary not found: %v", err)
	}
	return p
}

// resticGroup is a group of `restic forget --json`.
type resticGroup struct {
	Tags    []string `json:"tags"`
	Host    string   `json:"host"`
	Paths   []string `json:"paths"`
	Keep    []struct{ ID string }
	Remove  []struct{ ID string }
	Reasons []struct {
		Snapshot struct{ ID string }
		Matches  []string
	}
}

// TestPolicyMatchesRestic has restic 0.18 and this package decide on the
// same repository of irregular snapshots, for many policies and groupings,
// and compares every group's kept snapshots (with reasons) and removed
// ones, and the policy's description.
func TestPolicyMatchesRestic(t *testing.T) {
	bin := resticBinary(t)
	dir := t.TempDir()
	r := makeRepository(t, dir)
	for _, c := range []struct {
		args []string
		opts forget.Options
	}{
		{[]string{"--keep-last", "5"}, forget.Options{Policy: forget.Policy{Last: 5}}},
		{[]string{"--keep-hourly", "30"}, forget.Options{Policy: forget.Policy{Hourly: 30}}},
		{[]string{"-d", "7", "-w", "5", "-m", "12", "-y", "3"}, forget.Options{Policy: forget.Policy{Daily: 7, Weekly: 5, Monthly: 12, Yearly: 3}}},
		{[]string{"--keep-daily", "unlimited"}, forget.Options{Policy: forget.Policy{Daily: forget.Unlimited}}},
		{[]string{"--keep-weekly", "500"}, forget.Options{Policy: forget.Policy{Weekly: 500}}},
		{[]string{"--keep-last", "unlimited", "--keep-monthly", "2"}, forget.Options{Policy: forget.Policy{Last: forget.Unlimited, Monthly: 2}}},
		{[]string{"--keep-within", "1m15d"}, forget.Options{Policy: forget.Policy{Within: forget.Duration{Months: 1, Days: 15}}}},
		{[]string{"--keep-within", "2y3m4d5h"}, forget.Options{Policy: forget.Policy{Within: forget.Duration{Years: 2, Months: 3, Days: 4, Hours: 5}}}},
		{[]string{"--keep-within-hourly", "3d", "--keep-within-daily", "1m", "--keep-within-weekly", "3m",
			"--keep-within-monthly", "1y", "--keep-within-yearly", "10y"},
			forget.Options{Policy: forget.Policy{WithinHourly: forget.Duration{Days: 3}, WithinDaily: forget.Duration{Months: 1},
				WithinWeekly: forget.Duration{Months: 3}, WithinMonthly: forget.Duration{Years: 1}, WithinYearly: forget.Duration{Years: 10}}}},
		{[]string{"--keep-within-daily", "400d", "--keep-hourly", "3"},
			forget.Options{Policy: forget.Policy{WithinDaily: forget.Duration{Days: 400}, Hourly: 3}}},
		{[]string{"--keep-tag", "manual", "--keep-tag", "x, daily", "--keep-last", "1"},
			forget.Options{Policy: forget.Policy{Tags: []forget.TagList{{"manual"}, {"x", "daily"}}, Last: 1}}},
		{[]string{"--keep-tag", "", "--keep-last", "2"}, forget.Options{Policy: forget.Policy{Tags: []forget.TagList{{""}}, Last: 2}}},
		{[]string{"--keep-monthly", "6", "--group-by", "host"}, forget.Options{Policy: forget.Policy{Monthly: 6}, GroupBy: forget.GroupBy{Host: true}}},
		{[]string{"--keep-last", "3", "--group-by", ""}, forget.Options{Policy: forget.Policy{Last: 3}}},
		{[]string{"--keep-daily", "3", "--group-by", "tags"}, forget.Options{Policy: forget.Policy{Daily: 3}, GroupBy: forget.GroupBy{Tags: true}}},
		{[]string{"--keep-last", "1", "--group-by", "host,paths,tags"},
			forget.Options{Policy: forget.Policy{Last: 1}, GroupBy: forget.GroupBy{Host: true, Paths: true, Tags: true}}},
		{[]string{"--keep-weekly", "4", "--host", "alpha", "--tag", "daily"},
			forget.Options{Policy: forget.Policy{Weekly: 4}, Filter: repo.SnapshotFilter{Hosts: []string{"alpha"}, Tags: []string{"daily"}}}},
		{[]string{"--keep-yearly", "unlimited", "--keep-within", "2y", "--path", "/data", "--tag", "x,manual", "--tag", "daily"},
			forget.Options{Policy: forget.Policy{Yearly: forget.Unlimited, Within: forget.Duration{Years: 2}},
				Filter: repo.SnapshotFilter{Paths: []string{"/data"}, Tags: []string{"x,manual", "daily"}}}},
		{[]string{"--unsafe-allow-remove-all", "--host", "beta"},
			forget.Options{AllowRemoveAll: true, Filter: repo.SnapshotFilter{Hosts: []string{"beta"}}}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			if c.opts.GroupBy == (forget.GroupBy{}) && !slices.Contains(c.args, "--group-by") {
				c.opts.GroupBy = forget.DefaultGroupBy
			}
			c.opts.DryRun = true
			res, err := forget.ByPolicy(t.Context(), r, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			want := resticForget(t, bin, dir, c.args)
			compareGroups(t, res, want)
			if c.opts.Policy.Empty() {
				return
			}
			out := runRestic(t, bin, dir, append([]string{"forget", "--dry-run"}, c.args...))
			if line := "Applying Policy: " + c.opts.Policy.String() + "\n"; !strings.Contains(out, line) {
				t.Errorf("restic does not print %q:\n%s", line, out)
			}
		})
	}
	if got, err := r.ListSnapshots(t.Context()); err != nil || len(got) != snapshotCount {
		t.Fatalf("the dry runs left %d snapshots: %v", len(got), err)
	}
}

// TestRefusalsMatchRestic checks that what restic refuses, forget refuses.
func TestRefusalsMatchRestic(t *testing.T) {
	bin := resticBinary(t)
	dir := t.TempDir()
	r := makeRepository(t, dir)
	for _, c := range []struct {
		args []string
		opts forget.Options
		want string
	}{
		{nil, forget.Options{}, "no policy was specified"},
		{[]string{"--keep-tag", "nowhere"}, forget.Options{Policy: forget.Policy{Tags: []forget.TagList{{"nowhere"}}}},
			"refusing to delete the last snapshot"},
		{[]string{"--unsafe-allow-remove-all"}, forget.Options{AllowRemoveAll: true}, "snapshot filter"},
	} {
		cmd := exec.CommandContext(t.Context(), bin, append([]string{"--no-cache", "-r", dir, "forget", "--dry-run"}, c.args...)...)
		cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+repo.TestPassword)
		if out, err := cmd.CombinedOutput(); err == nil {
			t.Errorf("restic forget %q succeeded:\n%s", c.args, out)
		}
		c.opts.GroupBy, c.opts.DryRun = forget.DefaultGroupBy, true
		if _, err := forget.ByPolicy(t.Context(), r, c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v; want an error mentioning %q", c.args, err, c.want)
		}
	}
}

func resticForget(t *testing.T, bin, dir string, args []string) []resticGroup {
	t.Helper()
	out := runRestic(t, bin, dir, append([]string{"--json", "forget", "--dry-run"}, args...))
	var groups []resticGroup
	if err := json.Unmarshal([]byte(out), &groups); err != nil {
		t.Fatalf("restic forget --json printed %q: %v", out, err)
	}
	return groups
}

func runRestic(t *testing.T, bin, dir string, args []string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, append([]string{"--no-cache", "-r", dir}, args...)...)
	cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+repo.TestPassword)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			err = fmt.Errorf("%w: %s", err, ee.Stderr)
		}
		t.Fatalf("restic %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

// compareGroups checks res against restic's groups, which come in no
// particular order.
func compareGroups(t *testing.T, res *forget.Result, want []resticGroup) {
	t.Helper()
	byKey := map[string]resticGroup{}
	for _, g := range want {
		byKey[fmt.Sprint(g.Host, g.Paths, g.Tags)] = g
	}
	if len(res.Groups) != len(want) {
		t.Errorf("%d groups, restic has %d", len(res.Groups), len(want))
	}
	for _, g := range res.Groups {
		k := g.Key
		rg, ok := byKey[fmt.Sprint(k.Hostname, k.Paths, k.Tags)]
		if !ok {
			t.Errorf("group %s: restic has no such group", k)
			continue
		}
		if got, want := ourDecision(g.Decision), resticDecision(rg); got != want {
			t.Errorf("group %s differs from restic's:\n got:\n%s\nwant:\n%s", k, got, want)
		}
	}
}

func ourDecision(d forget.Decision) string {
	var b strings.Builder
	for _, k := range d.Keep {
		fmt.Fprintf(&b, "keep %s %s\n", k.Snapshot.ID().Str(), strings.Join(k.Reasons, ", "))
	}
	var removed []string
	for _, sn := range d.Remove {
		removed = append(removed, sn.ID().Str())
	}
	slices.Sort(removed)
	fmt.Fprintf(&b, "remove %s\n", strings.Join(removed, " "))
	return b.String()
}

func resticDecision(g resticGroup) string {
	var b strings.Builder
	reasons := map[string][]string{}
	for _, r := range g.Reasons {
		reasons[r.Snapshot.ID] = r.Matches
	}
	for _, k := range g.Keep {
		fmt.Fprintf(&b, "keep %s %s\n", k.ID[:8], strings.Join(reasons[k.ID], ", "))
	}
	var removed []string
	for _, sn := range g.Remove {
		removed = append(removed, sn.ID[:8])
	}
	slices.Sort(removed)
	fmt.Fprintf(&b, "remove %s\n", strings.Join(removed, " "))
	return b.String()
}

const snapshotCount = 240

// makeRepository writes a repository in dir with snapshotCount snapshots
// at irregular times over about four years (bursts minutes apart, gaps of
// hours, days and weeks), in three time zones, of two hosts, two path sets
// (one written unsorted) and assorted tags; one snapshot is in the future.
func makeRepository(t *testing.T, dir string) *repo.Repository {
	t.Helper()
	ctx := t.Context()
	be, err := local.Create(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := repo.Init(ctx, be, repo.TestPassword, repo.Options{KDF: repo.TestKDFParams})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	tree, err := r.SaveTree(ctx, &repo.Tree{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	zones := []*time.Location{time.UTC, time.FixedZone("", 2*3600), time.FixedZone("", -7*3600)}
	tagSets := [][]string{nil, nil, {"daily"}, {"manual"}, {"x", "daily"}, {"daily", "x", "manual"}}
	when := time.Date(2021, 12, 30, 22, 0, 0, 0, time.UTC)
	for i := range snapshotCount {
		when = when.Add(gap(rng))
		sn := &repo.Snapshot{Time: when.In(zones[rng.IntN(len(zones))]), Tree: &tree,
			Hostname: []string{"alpha", "beta"}[rng.IntN(2)], Paths: [][]string{{"/data"}, {"/etc", "/data"}}[rng.IntN(2)],
			Tags: tagSets[rng.IntN(len(tagSets))]}
		if i == snapshotCount-1 {
			sn.Time = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		if _, err := r.SaveSnapshot(ctx, sn); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// gap is the time to the next snapshot: minutes, hours, days or weeks.
func gap(rng *rand.Rand) time.Duration {
	switch rng.IntN(5) {
	case 0:
		return time.Duration(1+rng.IntN(50)) * time.Minute
	case 1, 2:
		return time.Duration(1+rng.IntN(30)) * time.Hour
	case 3:
		return time.Duration(1+rng.IntN(10)) * 24 * time.Hour
	}
	return time.Duration(7+rng.IntN(40)) * 24 * time.Hour
}
