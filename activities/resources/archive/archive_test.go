package archive_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/activities/resources/archive"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend/local"
)

func items(n int, big []byte) []archive.Item {
	var out []archive.Item
	for i := range n {
		out = append(out, archive.Item{Resource: "configmaps", Version: "v1", Namespace: fmt.Sprintf("ns-%d", i%3),
			Name: fmt.Sprintf("cm-%d", i), Data: fmt.Appendf(nil, `{"kind":"ConfigMap","i":%d}`, i)})
	}
	out = append(out, archive.Item{Resource: "customresourcedefinitions.apiextensions.k8s.io", Version: "v1", Name: "big.example.com", Data: big})
	return out
}

func write(t *testing.T, r archive.Saver, its []archive.Item) archive.Result {
	t.Helper()
	ctx := context.Background()
	w := archive.NewWriter(ctx, r)
	for _, it := range its {
		if err := w.AddItem(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	res, err := w.Finish(ctx, archive.Meta{Time: time.Unix(1700000000, 0), Hostname: "test", Tags: []string{"t"}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// bigFile is larger than the chunker's 8 MiB maximum, so it is split into
// several blobs whatever the repository's random polynomial.
func bigFile() []byte {
	rnd := rand.New(rand.NewPCG(1, 2))
	big := make([]byte, 9<<20)
	for i := range big {
		big[i] = byte(rnd.UintN(256))
	}
	return big
}

// TestRoundTrip writes objects, a large one chunked, and reads them back.
func TestRoundTrip(t *testing.T) {
	r := repo.TestRepository(t, 2)
	ctx := context.Background()
	big := bigFile()
	its := items(10, big)
	res := write(t, r, its)
	if res.Items != len(its) || res.Files != 2*len(its)+1 {
		t.Fatalf("result %+v", res)
	}
	rd, err := archive.Open(ctx, r, res.SnapshotID)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := rd.Items(ctx)
	if err != nil || len(refs) != len(its) {
		t.Fatalf("Items: %d %v", len(refs), err)
	}
	chunked := false
	for _, ref := range refs {
		data, err := rd.ReadItem(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		want := its[len(its)-1].Data
		if ref.Namespace != "" {
			var i int
			fmt.Sscanf(ref.Name, "cm-%d", &i)
			want = its[i].Data
			if ref.Namespace != its[i].Namespace {
				t.Errorf("%s in %s", ref.Name, ref.Namespace)
			}
		} else {
			chunked = len(ref.Content) > 1
		}
		if !bytes.Equal(data, want) {
			t.Errorf("%s/%s read back wrong", ref.Namespace, ref.Name)
		}
	}
	if !chunked {
		t.Error("the 9 MiB object was stored as one blob")
	}
	var paths []string
	if err := rd.WalkFiles(ctx, func(p string, _ *repo.Node) error { paths = append(paths, p); return nil }); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"metadata/version", "resources/configmaps/namespaces/ns-1/cm-4.json",
		"resources/configmaps/v1-preferredversion/namespaces/ns-1/cm-4.json",
		"resources/customresourcedefinitions.apiextensions.k8s.io/cluster/big.example.com.json",
		"resources/customresourcedefinitions.apiextensions.k8s.io/v1-preferredversion/cluster/big.example.com.json"} {
		if !strings.Contains(strings.Join(paths, "\n")+"\n", want+"\n") {
			t.Errorf("no %s in %v", want, paths)
		}
	}
}

// TestUnchangedCostsNothing checks that a second backup of the same
// objects adds no blob, and that one changed object adds its blob and the
// trees above it only.
func TestUnchangedCostsNothing(t *testing.T) {
	r := repo.TestRepository(t, 2)
	its := items(50, bigFile())
	write(t, r, its)
	before := r.SaveStats()
	write(t, r, its)
	if after := r.SaveStats(); after != before {
		t.Errorf("an unchanged backup stored %+v more", after.DataBlobs-before.DataBlobs)
	}
	its[7].Data = []byte(`{"changed":true}`)
	write(t, r, its)
	after := r.SaveStats()
	if d := after.DataBlobs - before.DataBlobs; d != 1 {
		t.Errorf("one changed object stored %d data blobs", d)
	}
	// root, resources, configmaps, namespaces, ns-1, and the same under v1-preferredversion (+1 folder)
	if d := after.TreeBlobs - before.TreeBlobs; d > 9 {
		t.Errorf("one changed object stored %d trees", d)
	}
}

// TestResticAccepts has restic check a repository holding an archive and
// dump one object.
func TestResticAccepts(t *testing.T) {
	bin, err := filepath.Abs("../../../.tools/bin/restic")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("restic binary not found at %s (make tools)", bin)
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "repo")
	be, err := local.Create(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := repo.Init(ctx, be, repo.TestPassword, repo.Options{KDF: repo.TestKDFParams})
	if err != nil {
		t.Fatal(err)
	}
	its := items(5, bigFile())
	res := write(t, r, its)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		cmd := exec.CommandContext(ctx, bin, append([]string{"--no-cache", "-r", dir}, args...)...)
		cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+repo.TestPassword)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("restic %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("check", "--read-data")
	got := run("dump", res.SnapshotID.String(), "/resources/configmaps/namespaces/ns-2/cm-2.json")
	if got != string(its[2].Data) {
		t.Errorf("restic dump = %q", got)
	}
}
