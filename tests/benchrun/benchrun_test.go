package benchrun

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestFastestAlternatesAndKeepsTheFastest(t *testing.T) {
	var order []int
	seconds := []float64{3, 2, 1, 4, 5, 6} // run k takes seconds[k]
	prepared := 0
	best, err := Fastest([]string{"a", "b"}, 3, func(int) error { prepared++; return nil }, func(i int) (Measurement, error) {
		m := Measurement{Seconds: seconds[len(order)], RepoSize: int64(len(order))}
		order = append(order, i)
		return m, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 1, 0, 0, 1}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if prepared != 6 {
		t.Errorf("%d runs prepared, want 6", prepared)
	}
	// a ran 1st (3 s), 4th (4 s) and 5th (5 s); b 2nd (2 s), 3rd (1 s), 6th.
	if best[0].RepoSize != 0 || best[1].RepoSize != 2 {
		t.Errorf("kept runs %d and %d, want 0 and 2", best[0].RepoSize, best[1].RepoSize)
	}
}

func TestTreeSize(t *testing.T) {
	dir := t.TempDir()
	for name, size := range map[string]int{"a": 10, "sub/b": 32, "sub/deeper/c": 0, ".complete": 7} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("a", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if got := TreeSize(dir); got != 42 {
		t.Errorf("TreeSize = %d, want 42 (regular files, no marker, no link)", got)
	}
}
