package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestPlan(t *testing.T) {
	for _, total := range []int64{1 << 10, 64 << 20, 512 << 20} {
		files := plan(total)
		if !reflect.DeepEqual(files, plan(total)) {
			t.Fatalf("plan(%d) differs from one call to the next", total)
		}
		var sum, text int64
		for _, f := range files {
			if f.size <= 0 {
				t.Errorf("plan(%d): %s has %d bytes", total, f.name, f.size)
			}
			sum += f.size
			if f.text {
				text += f.size
			}
		}
		if sum != total {
			t.Errorf("plan(%d): %d bytes in all", total, sum)
		}
		if total >= 64<<20 && (len(files) < 8 || text < total/10 || text > total*9/10) {
			t.Errorf("plan(%d): %d files, %d bytes of text: not a mixed data set", total, len(files), text)
		}
	}
}

func TestRewriteRange(t *testing.T) {
	for _, f := range plan(512 << 20) {
		for s := 2; s <= 5; s++ {
			off, n := rewriteRange(f, s)
			if off < 0 || n < 1 || off+n > f.size || (f.size >= 100 && (n < f.size/10 || n > f.size/4)) {
				t.Fatalf("%s (%d bytes), snapshot %d: range %d+%d", f.name, f.size, s, off, n)
			}
			if o2, n2 := rewriteRange(f, s); o2 != off || n2 != n {
				t.Fatalf("%s: the range of snapshot %d differs from one call to the next", f.name, s)
			}
		}
	}
}

func TestRewriteChangesOnlyItsRange(t *testing.T) {
	dir := t.TempDir()
	files := plan(1 << 20)
	if err := generate(dir, files); err != nil {
		t.Fatal(err)
	}
	before := map[string][]byte{}
	for _, f := range files {
		before[f.name], _ = os.ReadFile(filepath.Join(dir, f.name))
	}
	if err := rewrite(dir, files, 2); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		after, _ := os.ReadFile(filepath.Join(dir, f.name))
		off, n := rewriteRange(f, 2)
		b := before[f.name]
		if int64(len(after)) != f.size || string(after[:off]) != string(b[:off]) || string(after[off+n:]) != string(b[off+n:]) {
			t.Errorf("%s: bytes outside %d+%d changed, or the size", f.name, off, n)
		}
		if n >= 64 && string(after[off:off+n]) == string(b[off:off+n]) {
			t.Errorf("%s: the range %d+%d did not change", f.name, off, n)
		}
	}
}
