package repo

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// SnapshotFilter selects snapshots the way restic's --host, --tag and
// --path flags do. An empty field matches every snapshot.
type SnapshotFilter struct {
	// Hosts: the snapshot's hostname is one of these.
	Hosts []string
	// Tags: each entry is a comma-separated list of tags that must all be
	// present; the snapshot must match at least one entry
	// ({"a,b", "c"} means (a and b) or c).
	Tags []string
	// Paths: the snapshot's paths include every one of these.
	Paths []string
}

// Empty reports whether f matches every snapshot.
func (f SnapshotFilter) Empty() bool {
	return len(f.Hosts) == 0 && len(f.Tags) == 0 && len(f.Paths) == 0
}

// Match reports whether sn passes the filter.
func (f SnapshotFilter) Match(sn *Snapshot) bool {
	if len(f.Hosts) > 0 && !slices.Contains(f.Hosts, sn.Hostname) {
		return false
	}
	for _, p := range f.Paths {
		if !slices.Contains(sn.Paths, p) {
			return false
		}
	}
	if len(f.Tags) == 0 {
		return true
	}
	for _, list := range f.Tags {
		all := true
		for tag := range strings.SplitSeq(list, ",") {
			if tag != "" && !slices.Contains(sn.Tags, tag) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// FilterSnapshots returns the snapshots of sns that pass f, in order.
func FilterSnapshots(sns []*Snapshot, f SnapshotFilter) []*Snapshot {
	var out []*Snapshot
	for _, sn := range sns {
		if f.Match(sn) {
			out = append(out, sn)
		}
	}
	return out
}

// FindSnapshotFiltered is FindSnapshot with a filter: "latest" is the
// newest snapshot passing f, and an id prefix must name a snapshot that
// passes f.
func (r *Repository) FindSnapshotFiltered(ctx context.Context, name string, f SnapshotFilter) (*Snapshot, error) {
	if f.Empty() {
		return r.FindSnapshot(ctx, name)
	}
	if strings.EqualFold(name, "latest") {
		sns, err := r.ListSnapshots(ctx)
		if err != nil {
			return nil, err
		}
		sns = FilterSnapshots(sns, f)
		if len(sns) == 0 {
			return nil, fmt.Errorf("latest snapshot: %w: no snapshot matches %+v", ErrNotFound, f)
		}
		return sns[len(sns)-1], nil
	}
	sn, err := r.FindSnapshot(ctx, name)
	if err != nil {
		return nil, err
	}
	if !f.Match(sn) {
		return nil, fmt.Errorf("snapshot %q: %w: it does not match %+v", name, ErrNotFound, f)
	}
	return sn, nil
}
