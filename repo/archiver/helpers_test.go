package archiver_test

import (
	"bytes"
	"context"
	"path"
	"testing"

	"github.com/cairn-backup/cairn/repo"
)

// flatten returns every node below tree id by slash path ("a/b").
func flatten(t testing.TB, r *repo.Repository, id repo.ID) map[string]repo.Node {
	t.Helper()
	out := map[string]repo.Node{}
	var walk func(id repo.ID, prefix string)
	walk = func(id repo.ID, prefix string) {
		tr, err := r.LoadTree(context.Background(), id)
		if err != nil {
			t.Fatalf("loading tree %v: %v", id, err)
		}
		for _, n := range tr.Nodes {
			p := path.Join(prefix, n.Name)
			out[p] = n
			if n.Type == repo.NodeTypeDir {
				if n.Subtree == nil {
					t.Fatalf("%s: directory without subtree", p)
				}
				walk(*n.Subtree, p)
			}
		}
	}
	walk(id, "")
	return out
}

// content reassembles a file node's bytes.
func content(t testing.TB, r *repo.Repository, n repo.Node) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, id := range n.Content {
		data, err := r.LoadBlob(context.Background(), repo.DataBlob, id, nil)
		if err != nil {
			t.Fatalf("%s: loading blob %v: %v", n.Name, id, err)
		}
		b.Write(data)
	}
	return b.Bytes()
}
