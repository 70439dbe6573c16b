package forget

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-backup/cairn/repo"
)

// Options configure ByPolicy.
type Options struct {
	// Policy decides what each group keeps. It must not be empty, unless
	// AllowRemoveAll is set.
	Policy Policy
	// GroupBy splits the snapshots into groups the policy is applied to
	// one by one. Its zero value is one group of all snapshots; restic's
	// default is DefaultGroupBy.
	GroupBy GroupBy
	// Filter limits the snapshots considered; the others are kept.
	Filter repo.SnapshotFilter
	// DryRun decides without removing anything.
	DryRun bool
	// AllowRemoveAll lets an empty Policy remove every snapshot that passes
	// Filter, which must then not be empty (restic's
	// --unsafe-allow-remove-all).
	AllowRemoveAll bool
	// Now is the current time, which decides which snapshots are in the
	// future (zero: time.Now()).
	Now time.Time
}

// GroupResult is what the policy decided for one group.
type GroupResult struct {
	Key GroupKey
	Decision
}

// Result is what ByPolicy decided and, unless DryRun, did.
type Result struct {
	Groups []GroupResult
	DryRun bool
}

// Removed lists the snapshots removed (or, in a dry run, to be removed)
// from every group.
func (res *Result) Removed() []*repo.Snapshot {
	var out []*repo.Snapshot
	for _, g := range res.Groups {
		out = append(out, g.Remove...)
	}
	return out
}

// ByPolicy applies opts.Policy to each group of the repository's snapshots
// and removes the snapshots it does not keep. Everything is decided before
// anything is removed: an invalid policy, or a group the policy would
// leave without snapshots, fails the call with nothing removed. The result
// is returned also when removing fails. The caller must hold an exclusive
// lock.
func ByPolicy(ctx context.Context, r *repo.Repository, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	sns, err := r.ListSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	res, err := Plan(sns, opts)
	if err != nil || opts.DryRun {
		return res, err
	}
	return res, Remove(ctx, r, res.Removed())
}

// Plan is ByPolicy without the repository: it decides for sns what
// ByPolicy would remove, and removes nothing.
func Plan(sns []*repo.Snapshot, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	res := &Result{DryRun: opts.DryRun}
	for _, g := range GroupSnapshots(repo.FilterSnapshots(sns, opts.Filter), opts.GroupBy) {
		d := opts.Policy.Apply(g.Snapshots, now)
		if !opts.Policy.Empty() && len(d.Keep) == 0 {
			return nil, fmt.Errorf("refusing to delete the last snapshot of %s: the policy keeps none of its %d snapshots; nothing was removed",
				describeGroup(g.Key), len(g.Snapshots))
		}
		res.Groups = append(res.Groups, GroupResult{Key: g.Key, Decision: d})
	}
	return res, nil
}

// Validate rejects an invalid policy, an empty one without
// AllowRemoveAll, and AllowRemoveAll without a filter. ByPolicy and Plan
// call it first; callers may call it before they open a repository.
func (opts Options) Validate() error {
	if err := opts.Policy.Validate(); err != nil {
		return err
	}
	if !opts.Policy.Empty() {
		return nil
	}
	if !opts.AllowRemoveAll {
		return ErrEmptyPolicy
	}
	if opts.Filter.Empty() {
		return errors.New("removing all snapshots is only allowed together with a snapshot filter (host, tag or path)")
	}
	return nil
}

func describeGroup(k GroupKey) string {
	if s := k.String(); s != "" {
		return "snapshot group (" + s + ")"
	}
	return "the repository (no grouping)"
}
