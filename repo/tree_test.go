package repo_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo"
)

func TestTreeEncoding(t *testing.T) {
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	content := []repo.ID{repo.Hash([]byte("a"))}
	sub := repo.Hash([]byte("sub"))
	tree := &repo.Tree{Nodes: []repo.Node{
		{Name: "a<b>\"\x01", Type: repo.NodeTypeFile, Mode: 0o644, ModTime: mtime, AccessTime: mtime, ChangeTime: mtime,
			UID: 1000, GID: 100, User: "u", Inode: 7, DeviceID: 9, Size: 1, Links: 1, Content: content},
		{Name: "dir", Type: repo.NodeTypeDir, Mode: fs.ModeDir | 0o755, ModTime: mtime, Subtree: &sub},
		{Name: "empty", Type: repo.NodeTypeFile, Content: []repo.ID{}},
		{Name: "link", Type: repo.NodeTypeSymlink, Mode: fs.ModeSymlink | 0o777, LinkTarget: "bad\xff"},
	}}
	b, err := tree.Encode()
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		`{"nodes":[{"name":"a\u003cb\u003e\\\"\\x01","type":"file","mode":420,"mtime":"2024-05-06T07:08:09.123456789Z",`,
		`"uid":1000,"gid":100,"user":"u","inode":7,"device_id":9,"size":1,"links":1,"content":["ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"]}`,
		`"mode":2147484141,`,
		`"content":null,"subtree":"`,
		`{"name":"empty","type":"file","mtime":"0001-01-01T00:00:00Z","atime":"0001-01-01T00:00:00Z","ctime":"0001-01-01T00:00:00Z","uid":0,"gid":0,"content":[]}`,
		`"mode":134218239,`,
		`"linktarget":"bad\ufffd","linktarget_raw":"YmFk/w==",`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("encoding lacks %s\n%s", want, s)
		}
	}
	if !strings.HasSuffix(s, "]}\n") {
		t.Error("tree does not end with a newline")
	}
	got, err := repo.DecodeTree(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Nodes[0].Name != tree.Nodes[0].Name || got.Nodes[3].LinkTarget != "bad\xff" || got.Nodes[3].LinkTargetRaw != nil ||
		got.Nodes[2].Content == nil || got.Nodes[1].Content != nil || *got.Nodes[1].Subtree != sub || !got.Nodes[0].ModTime.Equal(mtime) {
		t.Fatalf("decoded %+v", got.Nodes)
	}
	unsorted := &repo.Tree{Nodes: []repo.Node{{Name: "b"}, {Name: "a"}}}
	if _, err := unsorted.Encode(); !errors.Is(err, repo.ErrTreeNotOrdered) {
		t.Fatalf("unsorted tree: %v", err)
	}
	dup := &repo.Tree{Nodes: []repo.Node{{Name: "a"}, {Name: "a"}}}
	if _, err := dup.Encode(); !errors.Is(err, repo.ErrTreeNotOrdered) {
		t.Fatalf("duplicate names: %v", err)
	}
}

func TestTreeTimeClamp(t *testing.T) {
	n := repo.Node{Name: "x", Type: repo.NodeTypeFile, ModTime: time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC), Content: []repo.ID{}}
	b, err := json.Marshal(n)
	if err != nil || !strings.Contains(string(b), `"mtime":"9999-01-01T00:00:00Z"`) {
		t.Fatalf("%s %v", b, err)
	}
}

func TestSaveLoadTree(t *testing.T) {
	r := repo.TestRepository(t, 2)
	ctx := t.Context()
	tree := &repo.Tree{Nodes: []repo.Node{{Name: "f", Type: repo.NodeTypeFile, Content: []repo.ID{}}}}
	id, err := r.SaveTree(ctx, tree)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := tree.Encode()
	if id != repo.Hash(b) {
		t.Fatal("tree id is not the hash of its encoding")
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := r.LoadTree(ctx, id)
	if err != nil || len(got.Nodes) != 1 || got.Nodes[0].Name != "f" {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := r.LoadTree(ctx, repo.Hash([]byte("x"))); !errors.Is(err, repo.ErrNotFound) {
		t.Fatalf("missing tree: %v", err)
	}
}
