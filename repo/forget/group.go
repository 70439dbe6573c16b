package forget

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/cairn-backup/cairn/repo"
)

// GroupBy says which snapshot fields make up a group, as restic's
// --group-by does. The zero GroupBy puts every snapshot in one group
// (--group-by ”); restic's default is DefaultGroupBy.
type GroupBy struct {
	Host, Paths, Tags bool
}

// DefaultGroupBy is restic's default grouping, host,paths.
var DefaultGroupBy = GroupBy{Host: true, Paths: true}

// ParseGroupBy parses a --group-by value: host, paths and tags (or host,
// path, tag) separated by commas; the empty string is no grouping.
func ParseGroupBy(s string) (GroupBy, error) {
	var g GroupBy
	for field := range strings.SplitSeq(s, ",") {
		switch strings.TrimSpace(field) {
		case "host", "hosts":
			g.Host = true
		case "path", "paths":
			g.Paths = true
		case "tag", "tags":
			g.Tags = true
		case "":
		default:
			return GroupBy{}, fmt.Errorf("unknown --group-by field %q: use host, paths and tags separated by commas, or '' for one group of all snapshots", field)
		}
	}
	return g, nil
}

// String formats g as ParseGroupBy takes it, "host,paths" for example.
func (g GroupBy) String() string {
	var parts []string
	for _, f := range []struct {
		on   bool
		name string
	}{{g.Host, "host"}, {g.Paths, "paths"}, {g.Tags, "tags"}} {
		if f.on {
			parts = append(parts, f.name)
		}
	}
	return strings.Join(parts, ",")
}

// GroupKey is what the snapshots of a group share: the fields GroupBy
// names, the others empty. Paths and Tags are sorted.
type GroupKey struct {
	Hostname string   `json:"hostname"`
	Paths    []string `json:"paths"`
	Tags     []string `json:"tags"`
}

// String describes the group as restic's group header does, like
// "host [node1], paths [/data]"; it is empty without grouping.
func (k GroupKey) String() string {
	var parts []string
	if k.Hostname != "" {
		parts = append(parts, "host ["+k.Hostname+"]")
	}
	if len(k.Tags) > 0 {
		parts = append(parts, "tags ["+strings.Join(k.Tags, ", ")+"]")
	}
	if len(k.Paths) > 0 {
		parts = append(parts, "paths ["+strings.Join(k.Paths, ", ")+"]")
	}
	return strings.Join(parts, ", ")
}

// Group is a group of snapshots and its key.
type Group struct {
	Key       GroupKey
	Snapshots []*repo.Snapshot
}

// GroupSnapshots splits sns into groups by g, in a stable order (by host,
// then paths, then tags). Each group holds its snapshots in their order in
// sns. The snapshots are not modified.
func GroupSnapshots(sns []*repo.Snapshot, g GroupBy) []Group {
	index := map[string]int{}
	var groups []Group
	for _, sn := range sns {
		key := g.key(sn)
		id := key.id()
		i, ok := index[id]
		if !ok {
			i = len(groups)
			index[id] = i
			groups = append(groups, Group{Key: key})
		}
		groups[i].Snapshots = append(groups[i].Snapshots, sn)
	}
	slices.SortFunc(groups, func(a, b Group) int { return a.Key.compare(b.Key) })
	return groups
}

// key returns the group key of sn.
func (g GroupBy) key(sn *repo.Snapshot) GroupKey {
	var k GroupKey
	if g.Host {
		k.Hostname = sn.Hostname
	}
	if g.Paths {
		k.Paths = sorted(sn.Paths)
	}
	if g.Tags {
		k.Tags = sorted(sn.Tags)
	}
	return k
}

// compare orders keys by host, then paths, then tags.
func (k GroupKey) compare(o GroupKey) int {
	return cmp.Or(strings.Compare(k.Hostname, o.Hostname), slices.Compare(k.Paths, o.Paths), slices.Compare(k.Tags, o.Tags))
}

// id is a string that is equal for equal keys.
func (k GroupKey) id() string {
	b, err := json.Marshal([]any{k.Hostname, k.Paths, k.Tags})
	if err != nil {
		panic(err) // strings always marshal
	}
	return string(b)
}

// sorted returns a sorted copy of s, nil if s is empty.
func sorted(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return slices.Sorted(slices.Values(s))
}
