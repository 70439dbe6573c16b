package chunker

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"

	restic "github.com/restic/chunker"
)

// benchData is 32 MiB of random data.
func benchData(b *testing.B) []byte {
	b.Helper()
	return inputs(rand.New(rand.NewPCG(9, 9)), 32<<20)["random"]
}

func BenchmarkChunker(b *testing.B) {
	data, pol := benchData(b), randomPol(b)
	c := New(nil, pol)
	buf := make([]byte, MaxSize)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		c.Reset(bytes.NewReader(data), pol)
		for {
			if _, err := c.Next(buf); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkResticChunker(b *testing.B) {
	data, pol := benchData(b), randomPol(b)
	c := restic.New(nil, pol)
	buf := make([]byte, 0, MaxSize)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		c.Reset(bytes.NewReader(data), pol)
		for {
			if _, err := c.Next(buf); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}
