package archiver

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// trieNode is a component of the backup targets' absolute paths. The
// snapshot's root tree reproduces these paths: components above a target
// become directory nodes with the real directories' metadata.
type trieNode struct {
	name     string
	path     string
	fi       fs.FileInfo // lstat result; nil for the root "/"
	target   bool
	children map[string]*trieNode
}

// cleanTargets makes the targets absolute and clean, in the given order
// without duplicates.
func cleanTargets(paths []string) ([]string, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("no paths to back up")
	}
	var out []string
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("backup path %q: %w", p, err)
		}
		if !slices.Contains(out, abs) {
			out = append(out, abs)
		}
	}
	return out, nil
}

// buildTrie lstats every target and the directories above it. A missing
// target is an error naming it, as is a target inside another.
func buildTrie(targets []string) (*trieNode, error) {
	root := &trieNode{name: "", path: "/", children: map[string]*trieNode{}}
	for _, t := range targets {
		if _, err := os.Lstat(t); err != nil {
			return nil, fmt.Errorf("backup path %s: %w", t, err)
		}
		n := root
		if t == "/" {
			if len(targets) > 1 {
				return nil, fmt.Errorf("backup path / contains the other paths %v", targets)
			}
			root.target = true
			fi, err := os.Lstat("/")
			if err != nil {
				return nil, fmt.Errorf("backup path /: %w", err)
			}
			root.fi = fi
			break
		}
		for _, c := range strings.Split(strings.TrimPrefix(t, "/"), "/") {
			if n.target {
				return nil, fmt.Errorf("backup path %s is inside backup path %s", t, n.path)
			}
			child, ok := n.children[c]
			if !ok {
				p := filepath.Join(n.path, c)
				fi, err := os.Lstat(p)
				if err != nil {
					return nil, fmt.Errorf("backup path %s: %w", t, err)
				}
				child = &trieNode{name: c, path: p, fi: fi, children: map[string]*trieNode{}}
				n.children[c] = child
			}
			n = child
		}
		if len(n.children) > 0 {
			return nil, fmt.Errorf("backup path %s contains another backup path", t)
		}
		n.target = true
	}
	return root, nil
}

// entries lists a non-target trie node's children as walk entries, sorted.
func (n *trieNode) entries() []entry {
	es := make([]entry, 0, len(n.children))
	for _, c := range n.children {
		es = append(es, entry{name: c.name, path: c.path, fi: c.fi, trie: c})
	}
	slices.SortFunc(es, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	return es
}
