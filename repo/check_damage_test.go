package repo_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
)

// treePack returns the pack holding the trees (data packs are large).
func treePack(t *testing.T, r *repo.Repository) string {
	t.Helper()
	for _, p := range packFiles(t, r) {
		if p.Size < 1<<20 {
			return p.Name
		}
	}
	t.Fatal("no tree pack")
	return ""
}

// onlyDamage checks that res names exactly one damaged pack, and returns it.
func onlyDamage(t *testing.T, res *repo.CheckResult, err error, pack string) repo.PackDamage {
	t.Helper()
	if !errors.Is(err, repo.ErrCheckFailed) {
		t.Fatalf("check: %v", err)
	}
	if len(res.Damage) != 1 || res.Damage[0].Pack.String() != pack || res.Damage[0].Err == nil {
		t.Fatalf("damage %+v, want pack %s", res.Damage, pack)
	}
	return res.Damage[0]
}

func assertLost(t *testing.T, d repo.PackDamage, files ...string) {
	t.Helper()
	if !slices.Equal(d.Files, files) {
		t.Fatalf("files %q, want %q", d.Files, files)
	}
	if len(d.Snapshots) != 1 || !slices.Equal(d.Snapshots[0].Files, files) ||
		!slices.Equal(d.Snapshots[0].Snapshot.Paths, []string{"/d"}) {
		t.Fatalf("snapshots %+v", d.Snapshots)
	}
}

func TestCheckDamagedBlobNamesFile(t *testing.T) {
	r := repo.TestRepository(t, 2)
	buildSnapshot(t, r)
	victim := dataPack(t, r)
	corruptPack(t, r, victim, func(int) int { return 40 }) // inside the first blob
	res, err := r.Check(t.Context(), repo.CheckOptions{ReadData: true})
	d := onlyDamage(t, res, err, victim)
	if d.Whole || len(d.Blobs) != 1 || d.Blobs[0].Type != repo.DataBlob {
		t.Fatalf("damaged blobs %v (whole %v), want the one data blob", d.Blobs, d.Whole)
	}
	if !strings.Contains(d.Err.Error(), "contents hash to") {
		t.Fatalf("error %v does not name the pack's hash", d.Err)
	}
	assertLost(t, d, "/d/big")
}

func TestCheckMissingPackNamesFile(t *testing.T) {
	r := repo.TestRepository(t, 2)
	buildSnapshot(t, r)
	victim := dataPack(t, r)
	if err := r.Backend().Remove(t.Context(), backend.Handle{Type: backend.PackFile, Name: victim}); err != nil {
		t.Fatal(err)
	}
	res, err := r.Check(t.Context(), repo.CheckOptions{})
	d := onlyDamage(t, res, err, victim)
	if !d.Whole {
		t.Fatal("a missing pack loses all its blobs")
	}
	assertLost(t, d, "/d/big")
}

func TestCheckDamagedTreeNamesFolder(t *testing.T) {
	r := repo.TestRepository(t, 2)
	buildSnapshot(t, r)
	victim := treePack(t, r)
	corruptPack(t, r, victim, func(int) int { return 40 }) // inside the first tree saved, d's
	for _, readData := range []bool{false, true} {
		res, err := r.Check(t.Context(), repo.CheckOptions{ReadData: readData})
		d := onlyDamage(t, res, err, victim)
		if len(d.Blobs) != 1 || d.Blobs[0].Type != repo.TreeBlob {
			t.Fatalf("read data %v: damaged blobs %v", readData, d.Blobs)
		}
		assertLost(t, d, "/d/")
	}
}

func TestCheckUnreadableHeaderLosesPack(t *testing.T) {
	r := repo.TestRepository(t, 2)
	buildSnapshot(t, r)
	victim := dataPack(t, r)
	corruptPack(t, r, victim, func(n int) int { return n - 10 })
	res, err := r.Check(t.Context(), repo.CheckOptions{})
	d := onlyDamage(t, res, err, victim)
	if !d.Whole {
		t.Fatal("without reading data, a pack with a bad header counts as lost")
	}
	assertLost(t, d, "/d/big")
	// Reading the data finds the blobs intact: nothing is lost.
	res, err = r.Check(t.Context(), repo.CheckOptions{ReadData: true})
	d = onlyDamage(t, res, err, victim)
	if d.Whole || len(d.Blobs) != 0 || len(d.Files) != 0 || len(d.Snapshots) != 0 {
		t.Fatalf("intact blobs reported lost: %+v", d)
	}
}

func TestCheckSubset(t *testing.T) {
	r := repo.TestRepository(t, 2)
	buildSnapshot(t, r)
	victim := dataPack(t, r)
	corruptPack(t, r, victim, func(int) int { return 40 })
	id, err := repo.ParseID(victim)
	if err != nil {
		t.Fatal(err)
	}
	packs := len(packFiles(t, r))
	readVictim := 0
	for n := 1; n <= 2; n++ {
		sub, err := repo.ParseCheckSubset([]string{"", "1/2", "2/2"}[n])
		if err != nil {
			t.Fatal(err)
		}
		res, err := r.Check(t.Context(), repo.CheckOptions{Subset: sub})
		if !res.ReadData {
			t.Fatal("a subset check reads data")
		}
		wantsVictim := int(id[0])%2 == n-1
		if gotErr := errors.Is(err, repo.ErrCheckFailed); gotErr != wantsVictim {
			t.Fatalf("group %d/2 (victim in it: %v): %v", n, wantsVictim, err)
		}
		readVictim += res.PacksRead
	}
	if readVictim != packs {
		t.Fatalf("groups 1/2 and 2/2 read %d packs, the repository has %d", readVictim, packs)
	}
	sub, _ := repo.ParseCheckSubset("100%")
	res, err := r.Check(t.Context(), repo.CheckOptions{Subset: sub})
	if !errors.Is(err, repo.ErrCheckFailed) || res.PacksRead != packs {
		t.Fatalf("100%%: read %d of %d packs: %v", res.PacksRead, packs, err)
	}
	if _, err := r.Check(t.Context(), repo.CheckOptions{ReadData: true, Subset: sub}); err == nil || errors.Is(err, repo.ErrCheckFailed) {
		t.Fatalf("ReadData with a Subset: %v", err)
	}
}
