package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/cairn-backup/cairn/tests/benchdata"
)

// file is one file of the data set.
type file struct {
	name string
	size int64
	text bool // compressible text, else random bytes
	seed uint64
}

// plan lists the files of a data set of total bytes, the same every time:
// sizes log-uniform from 4 KiB to 64 MiB (or a quarter of the total, when
// that is less), the last file taking what is left; every other file is
// text, the rest random bytes; eight folders.
func plan(total int64) []file {
	const minSize = 4 << 10
	maxSize := max(min(64<<20, total/4), minSize)
	rng := rand.New(rand.NewPCG(1, 2))
	var files []file
	for left := total; left > 0; {
		i := len(files)
		size := min(int64(minSize*math.Pow(float64(maxSize)/minSize, rng.Float64())), left)
		f := file{size: size, text: i%2 == 0, seed: uint64(i+1) << 16}
		ext := "bin"
		if f.text {
			ext = "txt"
		}
		f.name = fmt.Sprintf("d%d/f%03d.%s", i%8, i, ext)
		files = append(files, f)
		left -= size
	}
	return files
}

// content is the stream of a file's bytes, or of a rewrite's.
func content(text bool, seed uint64) io.Reader {
	if text {
		return benchdata.TextReader(seed)
	}
	return benchdata.RandomReader(seed)
}

// rewriteRange is where snapshot s (from 1) rewrites f: a range of 10-25%
// of the file at a place of its own, the same every time.
func rewriteRange(f file, s int) (off, n int64) {
	rng := rand.New(rand.NewPCG(f.seed, uint64(s)))
	n = max(1, int64((0.10+0.15*rng.Float64())*float64(f.size)))
	return rng.Int64N(f.size - n + 1), n
}

// generate writes the files of the plan under dir.
func generate(dir string, files []file) error {
	for _, f := range files {
		if err := benchdata.WriteFile(filepath.Join(dir, f.name), f.size, content(f.text, f.seed)); err != nil {
			return err
		}
	}
	return nil
}

// rewrite overwrites, in place, the range of every file that snapshot s
// changes with new bytes of the file's kind.
func rewrite(dir string, files []file, s int) error {
	for _, f := range files {
		off, n := rewriteRange(f, s)
		fh, err := os.OpenFile(filepath.Join(dir, f.name), os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = io.CopyN(io.NewOffsetWriter(fh, off), content(f.text, f.seed|uint64(s)), n)
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("rewriting %s: %w", f.name, err)
		}
	}
	return nil
}
