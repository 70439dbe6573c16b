package chunker

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"

	restic "github.com/restic/chunker"
)

// cut is one chunk as both chunkers report it.
type cut struct {
	start, length uint
	fp            uint64
}

func resticCuts(t testing.TB, data []byte, pol Pol, bits int) []cut {
	t.Helper()
	c := restic.New(bytes.NewReader(data), pol)
	if bits != 0 {
		c.SetAverageBits(bits)
	}
	var cuts []cut
	buf := make([]byte, 0, MaxSize)
	for {
		ch, err := c.Next(buf)
		if err == io.EOF {
			return cuts
		}
		if err != nil {
			t.Fatal(err)
		}
		cuts = append(cuts, cut{ch.Start, ch.Length, ch.Cut})
	}
}

// shortReader returns at most a random number of bytes per Read.
type shortReader struct {
	r   io.Reader
	rng *rand.Rand
	max int
}

func (s *shortReader) Read(p []byte) (int, error) {
	n := 1 + s.rng.IntN(s.max)
	if s.rng.IntN(8) == 0 {
		n = 1 + s.rng.IntN(16) // sometimes tiny
	}
	if s.rng.IntN(50) == 0 {
		return 0, nil // sometimes nothing
	}
	return s.r.Read(p[:min(len(p), n)])
}

func ourCuts(t testing.TB, c *Chunker, rd io.Reader, data []byte, pol Pol, bits int) []cut {
	t.Helper()
	c.Reset(rd, pol)
	if bits != 0 {
		c.SetAverageBits(bits)
	}
	var cuts []cut
	buf := make([]byte, MaxSize)
	for {
		// dirty the buffer: nothing may depend on its old contents
		buf[0], buf[len(buf)-1], buf[MinSize] = 0xa5, 0x5a, 0x77
		ch, err := c.Next(buf)
		if err == io.EOF {
			return cuts
		}
		if err != nil {
			t.Fatal(err)
		}
		if ch.Length != uint(len(ch.Data)) || !bytes.Equal(ch.Data, data[ch.Start:ch.Start+ch.Length]) {
			t.Fatalf("chunk at %d: data does not match the stream", ch.Start)
		}
		if &ch.Data[0] != &buf[0] {
			t.Fatalf("chunk at %d not stored in the caller's buffer", ch.Start)
		}
		cuts = append(cuts, cut{ch.Start, ch.Length, ch.Cut})
	}
}

func compare(t *testing.T, name string, data []byte, pol Pol, bits int, rng *rand.Rand) {
	t.Helper()
	want := resticCuts(t, data, pol, bits)
	c := New(nil, pol)
	readers := map[string]io.Reader{
		"whole": bytes.NewReader(data),
		"short": &shortReader{r: bytes.NewReader(data), rng: rng, max: 1 + rng.IntN(300<<10)},
		"tiny":  &shortReader{r: bytes.NewReader(data), rng: rng, max: 97},
	}
	for rname, rd := range readers {
		if rname == "tiny" && len(data) > 3<<20 {
			continue // slow, covered by the smaller inputs
		}
		got := ourCuts(t, c, rd, data, pol, bits)
		if len(got) != len(want) {
			t.Fatalf("%s/%s pol %v bits %d: %d chunks, restic %d\n got %v\nwant %v", name, rname, pol, bits, len(got), len(want), got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s/%s pol %v bits %d: chunk %d is %+v, restic %+v", name, rname, pol, bits, i, got[i], want[i])
			}
		}
	}
}

func randomPol(t testing.TB) Pol {
	t.Helper()
	p, err := restic.RandomPolynomial()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// inputs returns data of the given size in several shapes.
func inputs(rng *rand.Rand, size int) map[string][]byte {
	random := make([]byte, size)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	zeros := make([]byte, size)
	pattern := make([]byte, size)
	period := 1 + rng.IntN(5000)
	for i := range pattern {
		pattern[i] = random[i%period]
	}
	// text-like: random words from a small vocabulary, so windows repeat
	text := make([]byte, 0, size)
	words := []string{"error", "info", "GET /index.html", "200", "user=alice", "\n", " ", "2024-01-02T03:04:05Z"}
	for len(text) < size {
		text = append(text, words[rng.IntN(len(words))]...)
	}
	return map[string][]byte{"random": random, "zeros": zeros, "pattern": pattern, "text": text[:size]}
}

func TestSameCutsAsRestic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []int{0, 1, 63, 64, MinSize - 65, MinSize - 64, MinSize - 63, MinSize - 1, MinSize, MinSize + 1,
		MinSize + roundSize - 1, MinSize + roundSize, MinSize + roundSize + 1,
		MaxSize - 1, MaxSize, MaxSize + 1, 2*MaxSize + 12345, 3 << 20}
	if testing.Short() {
		sizes = sizes[:13]
	}
	for _, size := range sizes {
		pol := randomPol(t)
		for name, data := range inputs(rng, size) {
			compare(t, name, data, pol, 0, rng)
		}
	}
}

// TestManyPolynomials also uses fewer average bits than restic's 20, so
// that cuts fall often and in every lane of a round, and several lanes cut
// in the same round.
func TestManyPolynomials(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 40
	if testing.Short() {
		n = 8
	}
	for i := range n {
		pol := randomPol(t)
		size := MinSize + rng.IntN(5<<20)
		bits := []int{0, 10, 13, 15, 16, 17, 18, 20, 22}[i%9]
		for name, data := range inputs(rng, size) {
			compare(t, name, data, pol, bits, rng)
		}
	}
}

// TestLowDegree covers polynomials of other degrees than restic's 53.
func TestLowDegree(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	// x^31 + x^3 + 1 and x^17 + x^3 + 1 are irreducible
	for _, pol := range []Pol{1<<31 | 1<<3 | 1, 1<<17 | 1<<3 | 1} {
		if !pol.Irreducible() {
			t.Fatalf("%v is not irreducible", pol)
		}
		data := inputs(rng, 4<<20)["random"]
		compare(t, "random", data, pol, 14, rng)
	}
}

func TestBadPolynomial(t *testing.T) {
	c := New(bytes.NewReader(make([]byte, 10)), 1<<60|1)
	if _, err := c.Next(nil); err == nil || err == io.EOF {
		t.Fatalf("degree 60: err = %v, want an error", err)
	}
}

type failReader struct{ n int }

var errBroken = errors.New("broken")

func (f *failReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errBroken
	}
	n := min(len(p), f.n)
	f.n -= n
	return n, nil
}

func TestReadError(t *testing.T) {
	for _, n := range []int{0, 100, MinSize + 5, 3 << 20} {
		c := New(&failReader{n: n}, randomPol(t))
		var err error
		for err == nil {
			_, err = c.Next(make([]byte, MaxSize))
		}
		if !errors.Is(err, errBroken) {
			t.Errorf("after %d bytes: err = %v, want %v", n, err, errBroken)
		}
	}
}

func TestSmallBufferReallocated(t *testing.T) {
	data := inputs(rand.New(rand.NewPCG(7, 8)), 2<<20)["random"]
	pol := randomPol(t)
	want := resticCuts(t, data, pol, 0)
	c := New(bytes.NewReader(data), pol)
	for i := 0; ; i++ {
		ch, err := c.Next(make([]byte, 10))
		if err == io.EOF {
			if i != len(want) {
				t.Fatalf("%d chunks, want %d", i, len(want))
			}
			return
		}
		if err != nil || ch.Start != want[i].start || ch.Length != want[i].length {
			t.Fatalf("chunk %d: %+v %v, want %+v", i, ch, err, want[i])
		}
	}
}
