package repo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Tree is a directory listing: nodes sorted by name, without duplicates.
type Tree struct {
	Nodes []Node `json:"nodes"`
}

// ErrTreeNotOrdered: a tree's nodes are not strictly sorted by name.
var ErrTreeNotOrdered = errors.New("tree nodes are not strictly sorted by name")

// checkOrder reports nodes that are out of order or duplicated.
func (t *Tree) checkOrder() error {
	for i := 1; i < len(t.Nodes); i++ {
		if t.Nodes[i-1].Name >= t.Nodes[i].Name {
			return fmt.Errorf("%w: %q before %q", ErrTreeNotOrdered, t.Nodes[i-1].Name, t.Nodes[i].Name)
		}
	}
	return nil
}

// Encode returns the tree's blob: {"nodes":[...]} and a newline, as
// restic's tree builder writes it. Nodes must be sorted by name.
func (t *Tree) Encode() ([]byte, error) {
	if err := t.checkOrder(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"nodes":[`)
	for i := range t.Nodes {
		if i > 0 {
			b.WriteByte(',')
		}
		nb, err := json.Marshal(t.Nodes[i])
		if err != nil {
			return nil, fmt.Errorf("encoding node %q: %w", t.Nodes[i].Name, err)
		}
		b.Write(nb)
	}
	b.WriteString("]}\n")
	return b.Bytes(), nil
}

// DecodeTree parses a tree blob. It accepts any node order; Check reports
// unsorted trees.
func DecodeTree(data []byte) (*Tree, error) {
	// Nodes are decoded without Node.UnmarshalJSON, which would have
	// encoding/json scan each node's bytes twice more (half the time).
	var tj struct {
		Nodes []nodeJSON `json:"nodes"`
	}
	if err := json.Unmarshal(data, &tj); err != nil {
		return nil, fmt.Errorf("%w: decoding tree: %w", ErrInvalidData, err)
	}
	t := &Tree{}
	if tj.Nodes != nil {
		t.Nodes = make([]Node, len(tj.Nodes))
	}
	for i := range tj.Nodes {
		t.Nodes[i] = Node(tj.Nodes[i])
		if err := t.Nodes[i].fromJSON(); err != nil {
			return nil, fmt.Errorf("%w: decoding tree: %w", ErrInvalidData, err)
		}
	}
	return t, nil
}

// SaveTree encodes t and saves it as a tree blob (see SaveBlob).
func (r *Repository) SaveTree(ctx context.Context, t *Tree) (ID, error) {
	data, err := t.Encode()
	if err != nil {
		return ID{}, err
	}
	id, _, err := r.SaveBlob(ctx, TreeBlob, data, nil)
	return id, err
}

// LoadTree loads and decodes a tree blob.
func (r *Repository) LoadTree(ctx context.Context, id ID) (*Tree, error) {
	buf := getBuf(0)
	defer putBuf(buf)
	data, err := r.LoadBlob(ctx, TreeBlob, id, (*buf)[:0])
	if err != nil {
		return nil, err
	}
	*buf = data
	t, err := DecodeTree(data)
	if err != nil {
		return nil, fmt.Errorf("tree %v: %w", id.Str(), err)
	}
	return t, nil
}
