package restorer_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/dump"
	"github.com/cairn-backup/cairn/repo/walker"
)

func TestDump(t *testing.T) {
	src, vs := fixture(t)
	for _, v := range vs {
		r := openRepo(t, v.dir)
		sn, err := r.FindSnapshot(t.Context(), "latest")
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"big.bin", "text.txt", "empty", "sparse.img"} {
			var b bytes.Buffer
			if err := dump.Dump(t.Context(), r, sn, src+"/"+name, &b); err != nil {
				t.Fatal(err)
			}
			want, _ := os.ReadFile(filepath.Join(src, name))
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s %s: dump differs", v.name, name)
			}
		}
		err = dump.Dump(t.Context(), r, sn, src+"/dir", &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), src+"/dir") {
			t.Errorf("dump of a folder: %v", err)
		}
		err = dump.Dump(t.Context(), r, sn, src+"/missing", &bytes.Buffer{})
		if !errors.Is(err, repo.ErrNotFound) || !strings.Contains(err.Error(), src+"/missing") {
			t.Errorf("dump of a missing file: %v", err)
		}
	}
}

func TestLs(t *testing.T) {
	src, vs := fixture(t)
	r := openRepo(t, vs[0].dir)
	sn, err := r.FindSnapshot(t.Context(), "latest")
	if err != nil {
		t.Fatal(err)
	}
	all, err := walker.Ls(t.Context(), r, sn, src, true)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]walker.Entry{}
	for _, e := range all {
		byPath[e.Path] = e
	}
	n := 0
	err = filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		n++
		e, ok := byPath[p]
		if !ok {
			t.Errorf("ls lacks %s", p)
			return nil
		}
		fi, _ := os.Lstat(p)
		if e.Mode != fi.Mode() || !e.ModTime.Equal(fi.ModTime()) || fi.Mode().IsRegular() && e.Size != uint64(fi.Size()) {
			t.Errorf("%s: ls %+v, lstat %v %v %d", p, e, fi.Mode(), fi.ModTime(), fi.Size())
		}
		return nil
	})
	if err != nil || n != len(all) {
		t.Errorf("ls gives %d entries, walk %d: %v", len(all), n, err)
	}
	top, err := walker.Ls(t.Context(), r, sn, src+"/dir", false)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range top {
		names = append(names, strings.TrimPrefix(e.Path, src))
	}
	if got := strings.Join(names, " "); got != "/dir /dir/hard-c /dir/nested" {
		t.Errorf("ls -l dir: %s", got)
	}
	if _, err := walker.Ls(t.Context(), r, sn, src+"/nope", false); !errors.Is(err, repo.ErrNotFound) {
		t.Errorf("ls of a missing path: %v", err)
	}
}
