package benchdata

import (
	"crypto/sha256"
	"fmt"
	"io"
	"testing"
)

// The streams must not change: bench-repo caches the data set it generates
// from them, and results are compared across runs.
func TestStreamsAreStable(t *testing.T) {
	for _, c := range []struct {
		name string
		r    io.Reader
		want string
	}{
		{"text 100", TextReader(100), "29523b93173a1178916fb8b29d9c73953c0c1d7374b3f46145803dcf4ab9bcd4"},
		{"text 115", TextReader(115), "9b046c87470416ff90edf4098874a035d78eea5c63b5965efb5162df41e46a6c"},
		{"random 0", RandomReader(0), "6cbe6281bba2cab7bfe2349180468ee06143a1f4ea6a55ca23087355ee9bf627"},
		{"random 3", RandomReader(3), "fb7e785357e3ce4b09e47e5296630a92a5e4158628bfae6f9d386e717ca76607"},
	} {
		h := sha256.New()
		if _, err := io.CopyN(h, c.r, 3<<20+12345); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", h.Sum(nil)); got != c.want {
			t.Errorf("%s: sha256 of the first bytes %s, want %s", c.name, got, c.want)
		}
	}
}

func TestRandomSeedsDiffer(t *testing.T) {
	a, b := make([]byte, 64), make([]byte, 64)
	io.ReadFull(RandomReader(1), a)
	io.ReadFull(RandomReader(1+1<<8), b)
	if string(a) == string(b) {
		t.Error("seeds 1 and 257 give the same stream")
	}
}
