package forget

import (
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo"
)

// snap returns an unsaved snapshot made at when (RFC 3339, its zone kept
// as a snapshot file keeps it), with the given tags.
func snap(t *testing.T, when string, tags ...string) *repo.Snapshot {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, when)
	if err != nil {
		t.Fatal(err)
	}
	return &repo.Snapshot{Time: tm, Hostname: "host", Paths: []string{"/data"}, Tags: tags}
}

func snaps(t *testing.T, whens ...string) []*repo.Snapshot {
	t.Helper()
	var sns []*repo.Snapshot
	for _, w := range whens {
		sns = append(sns, snap(t, w))
	}
	return sns
}

// describe renders a decision as "time: reason, reason" lines for kept
// snapshots and "time: -" for removed ones, newest first.
func describe(d Decision) string {
	var b strings.Builder
	for _, k := range d.Keep {
		b.WriteString(k.Snapshot.Time.Format(time.RFC3339) + ": " + strings.Join(k.Reasons, ", ") + "\n")
	}
	for _, sn := range d.Remove {
		b.WriteString(sn.Time.Format(time.RFC3339) + ": -\n")
	}
	return b.String()
}

// lines joins want lines as describe renders them.
func lines(l ...string) string {
	if len(l) == 0 {
		return ""
	}
	return strings.Join(l, "\n") + "\n"
}

var testNow = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
