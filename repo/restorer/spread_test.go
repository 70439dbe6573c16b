package restorer

import (
	"fmt"
	"slices"
	"testing"
)

func TestSpreadPacks(t *testing.T) {
	files := map[string]*file{}
	var packs []*packJob
	// packs named by the file that first needs them, in file order
	for _, name := range []string{"a1", "a2", "a3", "b1", "c1", "c2", "d1", "e1", "e2"} {
		f := files[name[:1]]
		if f == nil {
			f = &file{path: name[:1]}
			files[name[:1]] = f
		}
		pj := &packJob{blobs: []*blobRef{{targets: []target{{file: f}}}}}
		pj.id[0] = name[0]
		pj.id[1] = name[1]
		packs = append(packs, pj)
	}
	got := func(ps []*packJob) string {
		var s []string
		for _, p := range ps {
			s = append(s, string(p.id[:2]))
		}
		return fmt.Sprint(s)
	}
	for _, tc := range []struct {
		width int
		want  string
	}{
		{1, "[a1 a2 a3 b1 c1 c2 d1 e1 e2]"},
		{2, "[a1 b1 a2 c1 a3 c2 d1 e1 e2]"},
		{4, "[a1 b1 c1 d1 a2 c2 e1 a3 e2]"},
	} {
		out := spreadPacks(slices.Clone(packs), tc.width)
		if g := got(out); g != tc.want {
			t.Errorf("width %d: %s, want %s", tc.width, g, tc.want)
		}
	}
}
