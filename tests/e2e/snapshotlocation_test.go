package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// TestSnapshotLocation: Velero's snapshot-location verbs keep
// velero.io/v1 VolumeSnapshotLocation objects in Cairn's namespace, say
// that Cairn takes no snapshots with them, and refuse what Velero refuses
// before writing anything.
func TestSnapshotLocation(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bed := testbed.ForTest(t)
	bed.ApplyVeleroCRDs(t, ctx)
	bed.InstallCairn(t, ctx, "cairn-vsl", "cairn-vsl")

	code, out, errOut := cairnRun(ctx, "snapshot-location", "create", "aws-east", "--provider", "aws", "--config", "region=us-east-1",
		"--labels", "team=storage", "--credential", "cloud-credentials=cloud")
	if code != 0 || out != "Snapshot volume location \"aws-east\" configured successfully.\n" || !strings.Contains(errOut, "Cairn takes no volume snapshots") {
		t.Fatalf("snapshot-location create: exit %d\n%s%s", code, out, errOut)
	}
	yaml := bed.Kubectl(t, ctx, "-n", "cairn-vsl", "get", "volumesnapshotlocations.velero.io", "aws-east", "-o", "yaml")
	for _, want := range []string{"provider: aws", "region: us-east-1", "team: storage", "name: cloud-credentials", "key: cloud"} {
		if !strings.Contains(yaml, want) {
			t.Errorf("the object lacks %q:\n%s", want, yaml)
		}
	}
	cairn(t, ctx, 0, "create", "snapshot-location", "gcp-west", "--provider", "gcp")
	if out := cairn(t, ctx, 0, "snapshot-location", "get"); out != "NAME      PROVIDER\naws-east  aws\ngcp-west  gcp\n" {
		t.Errorf("snapshot-location get:\n%s", out)
	}
	if out := cairn(t, ctx, 0, "get", "snapshot-locations", "-l", "team=storage", "-o", "json"); !strings.Contains(out, `"kind": "VolumeSnapshotLocation"`) ||
		!strings.Contains(out, `"name": "aws-east"`) || strings.Contains(out, "gcp-west") {
		t.Errorf("get snapshot-locations -l team=storage -o json:\n%s", out)
	}
	cairn(t, ctx, 0, "snapshot-location", "set", "aws-east", "--credential", "other=key")
	if yaml := bed.Kubectl(t, ctx, "-n", "cairn-vsl", "get", "volumesnapshotlocations.velero.io", "aws-east", "-o", "yaml"); !strings.Contains(yaml, "name: other") {
		t.Errorf("after set --credential:\n%s", yaml)
	}

	// Refused before anything is written.
	for _, args := range [][]string{
		{"create", "no-provider"},
		{"create", "Bad_Name", "--provider", "aws"},
		{"create", "two-creds", "--provider", "aws", "--credential", "a=b,c=d"},
		{"get", "missing"},
		{"delete", "missing", "--confirm"},
	} {
		if code, _, errOut := cairnRun(ctx, append([]string{"snapshot-location"}, args...)...); code == 0 || errOut == "" {
			t.Errorf("snapshot-location %v: exit %d, %q", args, code, errOut)
		}
	}
	if out := bed.Kubectl(t, ctx, "-n", "cairn-vsl", "get", "volumesnapshotlocations.velero.io", "-o", "name"); strings.Count(out, "\n") != 2 {
		t.Errorf("refused creates left objects:\n%s", out)
	}
	cairn(t, ctx, 0, "snapshot-location", "delete", "aws-east", "gcp-west", "--confirm")
	if out := cairn(t, ctx, 0, "snapshot-location", "get"); out != "NAME  PROVIDER\n" {
		t.Errorf("after delete:\n%s", out)
	}
}
