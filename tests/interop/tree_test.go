package interop

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// entry is what a restore must reproduce of one file system entry.
type entry struct {
	Mode    fs.FileMode
	Size    int64
	Digest  string
	MTime   int64 // unix nanoseconds; folders included
	Link    string
	Inode   uint64 // only to group hard links
	NLink   uint64
	HardSet string // the first path sharing this inode, for files with links > 1
}

// snapshotTree records every entry under dir by its path relative to dir.
func snapshotTree(t *testing.T, dir string) map[string]entry {
	t.Helper()
	out := map[string]entry{}
	firstByInode := map[uint64]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		info, err := os.Lstat(path)
		if err != nil {
			return err
		}
		st := info.Sys().(*syscall.Stat_t)
		e := entry{Mode: info.Mode(), MTime: info.ModTime().UnixNano(), Inode: st.Ino, NLink: uint64(st.Nlink)}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			e.Link, err = os.Readlink(path)
			if err != nil {
				return err
			}
			e.MTime = 0 // symlink times are not compared: Linux sets them only with utimensat nofollow
		case info.Mode().IsRegular():
			e.Size = info.Size()
			e.Digest = digest(t, path)
			if e.NLink > 1 {
				if first, ok := firstByInode[st.Ino]; ok {
					e.HardSet = first
				} else {
					firstByInode[st.Ino] = rel
					e.HardSet = rel
				}
			}
		case info.IsDir():
			e.NLink = 0
		}
		out[rel] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func digest(t *testing.T, path string) string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// compareTrees reports every difference between a source tree and its restore.
func compareTrees(t *testing.T, what string, want, got map[string]entry) {
	t.Helper()
	var problems []string
	for p, w := range want {
		g, ok := got[p]
		if !ok {
			problems = append(problems, "missing "+p)
			continue
		}
		if p == "." {
			continue // the restore target's own folder
		}
		w.Inode, g.Inode = 0, 0
		if w != g {
			problems = append(problems, fmt.Sprintf("%s: want %+v, got %+v", p, w, g))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			problems = append(problems, "unexpected "+p)
		}
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		t.Fatalf("%s differs from its source in %d ways:\n%s", what, len(problems), strings.Join(problems, "\n"))
	}
}

// makeSource builds a tree with everything a restore must reproduce: empty,
// small and multi-chunk files, nested and empty folders, relative, absolute
// and dangling symlinks, hard links, special modes and old mtimes. seed
// varies the contents so that successive versions differ.
func makeSource(t *testing.T, dir string, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	big := make([]byte, 9<<20+12345)
	for i := range big {
		big[i] = byte(rng.Uint32())
	}
	text := []byte(strings.Repeat(fmt.Sprintf("log line %d of a compressible file\n", seed), 40000))
	files := map[string][]byte{
		"empty":                 nil,
		"small.txt":             []byte(fmt.Sprintf("version %d\n", seed)),
		"data/big.bin":          big,
		"data/text.log":         text,
		"deep/a/b/c/d/file.txt": []byte("deep"),
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, data, 0o644))
	}
	must(t, os.MkdirAll(filepath.Join(dir, "empty-dir"), 0o700))
	must(t, os.MkdirAll(filepath.Join(dir, "sticky"), 0o755))
	must(t, os.Chmod(filepath.Join(dir, "sticky"), 0o1777|fs.ModeSticky))
	must(t, os.WriteFile(filepath.Join(dir, "setuid"), []byte("#!/bin/sh\n"), 0o755))
	must(t, os.Chmod(filepath.Join(dir, "setuid"), 0o755|fs.ModeSetuid))
	must(t, os.Symlink("data/big.bin", filepath.Join(dir, "rel-link")))
	must(t, os.Symlink("/etc/hostname", filepath.Join(dir, "abs-link")))
	must(t, os.Symlink("does/not/exist", filepath.Join(dir, "dangling")))
	must(t, os.Link(filepath.Join(dir, "data/text.log"), filepath.Join(dir, "hardlink.log")))
	old := time.Date(2021, 3, 4, 5, 6, 7, 890000000, time.UTC)
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type()&fs.ModeSymlink == 0 && p != dir {
			must(t, os.Chtimes(p, old, old.Add(time.Duration(len(p))*time.Second)))
		}
		return nil
	})
	// Folders last, deepest first, since writing their children changed them.
	var dirs []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		must(t, os.Chtimes(dirs[i], old, old.Add(time.Duration(i)*time.Minute)))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
