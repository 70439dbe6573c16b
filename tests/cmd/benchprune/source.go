package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cairn-backup/cairn/tests/benchrun"
)

// params are what the source repository is made from.
type params struct {
	sizeMiB, snapshots, keepLast int
}

// dataVersion changes when plan, rewrite or the restic commands below make
// another repository for the same parameters, so that the cache misses.
const dataVersion = 1

// source is a cached repository made by restic, with the cache restic left.
type source struct {
	repo, cache string
	snapshots   []string // the IDs of the snapshots forget kept
}

// buildSource returns the source repository for p under root, making it
// first unless it is there: restic init, p.snapshots backups of a data set
// of p.sizeMiB with part of every file rewritten before each one after the
// first, then forget --keep-last p.keepLast.
func buildSource(restic benchrun.Tool, root string, p params) (source, error) {
	out, err := exec.Command(restic.Bin, "version").Output()
	if err != nil {
		return source{}, fmt.Errorf("%s version: %w", restic.Bin, err)
	}
	version := "unknown"
	if f := strings.Fields(string(out)); len(f) > 1 {
		version = f[1]
	}
	dir := filepath.Join(root, fmt.Sprintf("restic-%s-%dMiB-%dsnapshots-keep%d-v%d", version, p.sizeMiB, p.snapshots, p.keepLast, dataVersion))
	src := source{repo: filepath.Join(dir, "repo"), cache: filepath.Join(dir, "restic-cache")}
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err != nil {
		if err := makeSource(restic, dir, src, p); err != nil {
			return src, err
		}
		if err := os.WriteFile(done, nil, 0o644); err != nil {
			return src, err
		}
	} else {
		fmt.Fprintf(os.Stderr, "source repository: %s (cached)\n", src.repo)
	}
	src.snapshots, err = snapshotIDs(restic, src.cache, src.repo)
	return src, err
}

func makeSource(restic benchrun.Tool, dir string, src source, p params) error {
	start := time.Now()
	_ = os.RemoveAll(dir)
	data := filepath.Join(dir, "data")
	files := plan(int64(p.sizeMiB) << 20)
	var text int64
	for _, f := range files {
		if f.text {
			text += f.size
		}
	}
	fmt.Fprintf(os.Stderr, "making the source repository %s: %d files, %d MiB (%d MiB of text), %d snapshots, forget --keep-last %d ...\n",
		src.repo, len(files), p.sizeMiB, text>>20, p.snapshots, p.keepLast)
	if err := generate(data, files); err != nil {
		return err
	}
	if _, err := restic.Run(src.cache, "init", src.repo); err != nil {
		return err
	}
	for s := 1; s <= p.snapshots; s++ {
		if s > 1 {
			if err := rewrite(data, files, s); err != nil {
				return err
			}
		}
		m, err := restic.Run(src.cache, "backup", src.repo, "--host", "bench", data)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "    snapshot %d: %.1f s, repository %d MiB\n", s, m.Seconds, benchrun.TreeSize(src.repo)>>20)
	}
	if _, err := restic.Run(src.cache, "forget", src.repo, "--keep-last", fmt.Sprint(p.keepLast)); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "    made in %.0f s\n", time.Since(start).Seconds())
	return os.RemoveAll(data)
}

// snapshotIDs lists the snapshots of repo, sorted.
func snapshotIDs(restic benchrun.Tool, cache, repo string) ([]string, error) {
	m, err := restic.Run(cache, "list", repo, "snapshots")
	if err != nil {
		return nil, err
	}
	ids := strings.Fields(string(m.Output))
	sort.Strings(ids)
	return ids, nil
}
