package repo

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"time"
	"unicode/utf8"
)

// NodeType is the kind of a tree entry.
type NodeType string

// The node types restic knows.
const (
	NodeTypeFile      NodeType = "file"
	NodeTypeDir       NodeType = "dir"
	NodeTypeSymlink   NodeType = "symlink"
	NodeTypeDev       NodeType = "dev"
	NodeTypeCharDev   NodeType = "chardev"
	NodeTypeFifo      NodeType = "fifo"
	NodeTypeSocket    NodeType = "socket"
	NodeTypeIrregular NodeType = "irregular"
)

// ExtendedAttribute is one xattr of a node.
type ExtendedAttribute struct {
	Name  string `json:"name"`
	Value []byte `json:"value"`
}

// Node is one entry of a Tree, encoded exactly as restic encodes it.
//
// Mode is the Go fs.FileMode masked to permission, type, setuid, setgid and
// sticky bits (a directory has fs.ModeDir set). Files carry Content, the
// ids of their data blobs in order (an empty, non-nil slice for an empty
// file); directories carry Subtree. DeviceID is st_dev, Device st_rdev.
// A LinkTarget that is not valid UTF-8 is stored as linktarget_raw.
type Node struct {
	Name               string                     `json:"name"`
	Type               NodeType                   `json:"type"`
	Mode               fs.FileMode                `json:"mode,omitempty"`
	ModTime            time.Time                  `json:"mtime"`
	AccessTime         time.Time                  `json:"atime"`
	ChangeTime         time.Time                  `json:"ctime"`
	UID                uint32                     `json:"uid"`
	GID                uint32                     `json:"gid"`
	User               string                     `json:"user,omitempty"`
	Group              string                     `json:"group,omitempty"`
	Inode              uint64                     `json:"inode,omitempty"`
	DeviceID           uint64                     `json:"device_id,omitempty"`
	Size               uint64                     `json:"size,omitempty"`
	Links              uint64                     `json:"links,omitempty"`
	LinkTarget         string                     `json:"linktarget,omitempty"`
	LinkTargetRaw      []byte                     `json:"linktarget_raw,omitempty"`
	ExtendedAttributes []ExtendedAttribute        `json:"extended_attributes,omitempty"`
	GenericAttributes  map[string]json.RawMessage `json:"generic_attributes,omitempty"`
	Device             uint64                     `json:"device,omitempty"`
	Content            []ID                       `json:"content"`
	Subtree            *ID                        `json:"subtree,omitempty"`
	Error              string                     `json:"error,omitempty"`
}

// ModeMask is the part of an fs.FileMode that restic stores.
const ModeMask = fs.ModePerm | fs.ModeType | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// fixTime clamps the year to 0..9999 so the time can be encoded.
func fixTime(t time.Time) time.Time {
	switch {
	case t.Year() < 0:
		return t.AddDate(-t.Year(), 0, 0)
	case t.Year() > 9999:
		return t.AddDate(-(t.Year() - 9999), 0, 0)
	}
	return t
}

type nodeJSON Node

// MarshalJSON encodes n as restic does: the name goes through strconv.Quote
// (without the outer quotes), times are clamped to years 0..9999, and a
// link target that is not valid UTF-8 is written as linktarget_raw.
func (n Node) MarshalJSON() ([]byte, error) {
	if n.LinkTargetRaw != nil {
		return nil, fmt.Errorf("node %q: LinkTargetRaw is set by the encoder only", n.Name)
	}
	n.ModTime, n.AccessTime, n.ChangeTime = fixTime(n.ModTime), fixTime(n.AccessTime), fixTime(n.ChangeTime)
	nj := nodeJSON(n)
	q := strconv.Quote(n.Name)
	nj.Name = q[1 : len(q)-1]
	if !utf8.ValidString(n.LinkTarget) {
		nj.LinkTargetRaw = []byte(n.LinkTarget)
	}
	return json.Marshal(nj)
}

// UnmarshalJSON reverses MarshalJSON.
func (n *Node) UnmarshalJSON(data []byte) error {
	if err := json.Unmarshal(data, (*nodeJSON)(n)); err != nil {
		return err
	}
	return n.fromJSON()
}

// fromJSON finishes decoding a node read as a nodeJSON: it unquotes the
// name and moves linktarget_raw to LinkTarget.
func (n *Node) fromJSON() error {
	name, err := strconv.Unquote(`"` + n.Name + `"`)
	if err != nil {
		return fmt.Errorf("node name %q: %w", n.Name, err)
	}
	n.Name = name
	if n.LinkTargetRaw != nil {
		n.LinkTarget = string(n.LinkTargetRaw)
		n.LinkTargetRaw = nil
	}
	return nil
}
