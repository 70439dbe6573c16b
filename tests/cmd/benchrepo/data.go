package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/cairn-backup/cairn/tests/benchdata"
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
		if err := benchdata.WriteFile(name, int64(scale*gib/4), benchdata.RandomReader(uint64(i))); err != nil {
			return "", err
		}
	}
	for i := range 16 {
		name := filepath.Join(dir, "text", fmt.Sprintf("log-%02d.txt", i))
		if err := benchdata.WriteFile(name, int64(scale*gib/16), benchdata.TextReader(uint64(100+i))); err != nil {
			return "", err
		}
	}
	return dir, os.WriteFile(done, nil, 0o644)
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
