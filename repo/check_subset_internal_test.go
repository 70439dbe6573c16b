package repo

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// testPacks returns n pack ids (of every first byte) with size 100 each.
func testPacks(n int) map[[32]byte]int64 {
	all := make(map[[32]byte]int64, n)
	for i := range n {
		all[Hash([]byte{byte(i), byte(i >> 8)})] = 100
	}
	return all
}

func TestSelectPacksByGroup(t *testing.T) {
	all := testPacks(1000)
	seen := make(map[[32]byte]int)
	for n := 1; n <= 7; n++ {
		s := mustSubset(fmt.Sprintf("%d/7", n))
		for _, id := range s.selectPacks(all, nil) {
			if int(id[0])%7 != n-1 {
				t.Fatalf("group %d/7 holds a pack with first byte %d", n, id[0])
			}
			seen[id]++
		}
	}
	if len(seen) != len(all) {
		t.Fatalf("groups 1/7..7/7 cover %d of %d packs", len(seen), len(all))
	}
	for id, k := range seen {
		if k != 1 {
			t.Fatalf("pack %x is in %d groups", id[:4], k)
		}
	}
}

func TestSelectRandomPacks(t *testing.T) {
	all := testPacks(1000)
	rnd := rand.New(rand.NewPCG(1, 2))
	for s, want := range map[string]int{
		"10%": 100, "2.5%": 25, "0.01%": 1, "100%": 1000,
		"1k": 10, // 1024 of 100,000 bytes: 1.024% of the packs
		"1G": 1000,
	} {
		got := mustSubset(s).selectPacks(all, rnd)
		if len(got) != want {
			t.Errorf("%s selects %d packs, want %d", s, len(got), want)
		}
		set := map[[32]byte]bool{}
		for _, id := range got {
			if _, ok := all[id]; !ok || set[id] {
				t.Fatalf("%s selects an unknown or repeated pack", s)
			}
			set[id] = true
		}
	}
	a := mustSubset("50%").selectPacks(all, rand.New(rand.NewPCG(1, 2)))
	b := mustSubset("50%").selectPacks(all, rand.New(rand.NewPCG(3, 4)))
	if len(a) != len(b) || a[0] == b[0] && a[1] == b[1] && a[2] == b[2] {
		t.Errorf("two seeds chose the same packs")
	}
	if got := mustSubset("1G").selectPacks(map[[32]byte]int64{}, nil); len(got) != 0 {
		t.Errorf("an empty repository yields %d packs", len(got))
	}
}

func mustSubset(s string) *CheckSubset {
	sub, err := ParseCheckSubset(s)
	if err != nil {
		panic(err)
	}
	return sub
}
