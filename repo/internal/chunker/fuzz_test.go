package chunker

import (
	"math/rand/v2"
	"testing"
)

// FuzzSameCutsAsRestic compares the cuts of both chunkers on generated
// data: the fuzzer picks the generator's seed, the size, the average bits,
// how repetitive the data is and how the reader splits it.
func FuzzSameCutsAsRestic(f *testing.F) {
	f.Add(uint64(1), uint32(MinSize+100000), uint8(16), uint16(0), uint64(7))
	f.Add(uint64(2), uint32(3<<20), uint8(20), uint16(17), uint64(8))
	f.Add(uint64(3), uint32(MinSize-64), uint8(12), uint16(1), uint64(9))
	pols := []Pol{randomPol(f), randomPol(f), randomPol(f)}
	f.Fuzz(func(t *testing.T, seed uint64, size uint32, bits uint8, period uint16, readSeed uint64) {
		rng := rand.New(rand.NewPCG(seed, 0))
		data := make([]byte, size%(MaxSize+MinSize))
		for i := range data {
			if period != 0 && i >= int(period) {
				data[i] = data[i-int(period)]
				if rng.IntN(100000) == 0 {
					data[i]++ // occasional change in repetitive data
				}
				continue
			}
			data[i] = byte(rng.Uint32())
		}
		b := 8 + int(bits)%16
		compare(t, "fuzz", data, pols[seed%3], b, rand.New(rand.NewPCG(readSeed, 1)))
	})
}
