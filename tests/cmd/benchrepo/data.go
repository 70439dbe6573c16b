package main

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// generateMixed writes the data set of cases (a), (c) and (d) unless dir
// already holds it: 1 GiB of random bytes in 4 files and 1 GiB of
// compressible text in 16 files, times scale, from fixed seeds.
func generateMixed(dir string, scale float64) (string, error) {
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err == nil {
		return dir, nil
	}
	_ = os.RemoveAll(dir)
	const gib = 1 << 30
	fmt.Fprintf(os.Stderr, "generating %.2f GiB of test data in %s ...\n", 2*scale, dir)
	for i := range 4 {
		name := filepath.Join(dir, "random", fmt.Sprintf("blob-%02d.bin", i))
		if err := writeFile(name, int64(scale*gib/4), randomReader(uint64(i))); err != nil {
			return "", err
		}
	}
	for i := range 16 {
		name := filepath.Join(dir, "text", fmt.Sprintf("log-%02d.txt", i))
		if err := writeFile(name, int64(scale*gib/16), textReader(uint64(100+i))); err != nil {
			return "", err
		}
	}
	return dir, os.WriteFile(done, nil, 0o644)
}

func writeFile(name string, size int64, src io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if _, err := io.CopyN(w, src, size); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// randomReader yields incompressible bytes from a seeded ChaCha8 stream.
func randomReader(seed uint64) io.Reader {
	var key [32]byte
	key[0] = byte(seed)
	return rand.NewChaCha8(key)
}

// textReader yields log-like lines built from a fixed vocabulary: text that
// zstd compresses about 3-5x, like real logs.
func textReader(seed uint64) io.Reader {
	rng := rand.New(rand.NewPCG(seed, 42))
	words := strings.Fields(`GET POST PUT DELETE /api/v1/namespaces /healthz /metrics /var/log/nginx access
		error warning info debug request response latency status upstream client server timeout connection
		backup restore snapshot volume pod node cluster kubernetes temporal workflow activity repository
		index pack blob tree chunk encrypt compress upload download retry heartbeat 200 201 204 301 404 500`)
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 1<<16)
		for line := 0; ; line++ {
			fmt.Fprintf(w, "2026-11-%02d %02d:%02d:%02d.%06d 10.%d.%d.%d ", 1+line%28, line%24, line%60,
				rng.IntN(60), rng.IntN(1e6), rng.IntN(256), rng.IntN(256), rng.IntN(256))
			for n := 5 + rng.IntN(12); n > 0; n-- {
				w.WriteString(words[rng.IntN(len(words))])
				w.WriteByte(' ')
			}
			fmt.Fprintf(w, "id=%x bytes=%d\n", rng.Uint32(), rng.IntN(1<<20))
			if w.Buffered() > 1<<15 {
				if err := w.Flush(); err != nil {
					return // the reader is done
				}
			}
		}
	}()
	return pr
}

// copyGoroot copies the Go installation (about 15,000 files) unless dir
// already holds the copy.
func copyGoroot(dir string) (string, error) {
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err == nil {
		return dir, nil
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	goroot := strings.TrimSpace(string(out))
	_ = os.RemoveAll(dir)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", err
	}
	fmt.Fprintf(os.Stderr, "copying %s to %s ...\n", goroot, dir)
	if out, err := exec.Command("cp", "-a", goroot, dir).CombinedOutput(); err != nil {
		return "", fmt.Errorf("copying GOROOT: %v: %s", err, out)
	}
	n := 0
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, _ error) error {
		if d != nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	fmt.Fprintf(os.Stderr, "%d files\n", n)
	return dir, os.WriteFile(done, nil, 0o644)
}
