package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/forget"
)

// forgetFlags are the flags of `cairn repo forget`.
type forgetFlags struct {
	opts       forget.Options
	groupBy    string
	prune      bool
	jsonOut    bool
	compact    bool
	pruneFlags pruneFlags
	pruneOpts  repo.PruneOptions
}

func newRepoForgetCommand(f *repoFlags) *cobra.Command {
	ff := &forgetFlags{}
	cmd := &cobra.Command{
		Use:   "forget [flags] [SNAPSHOT-ID...]",
		Short: "Remove snapshots by id or by a keep policy",
		Long: `Remove snapshots by id or by a keep policy, as restic's forget does.

Without ids, the snapshots (those passing --host, --tag and --path) are divided
into groups by --group-by, and the --keep-* policy is applied to each group: a
snapshot stays if any option keeps it. While a count has snapshots left to keep,
the oldest snapshot of a group stays as well. The --keep-within* durations are
measured back from the newest snapshot that is not in the future. A policy
that keeps no snapshot of a group is refused.

With ids (full ids, unique prefixes or latest), exactly those snapshots are
removed; they cannot be combined with a policy.

Forget only removes snapshot files; --prune then removes the data no snapshot
uses any more. The repository is locked exclusively meanwhile.`,
		RunE: func(cmd *cobra.Command, args []string) error { return ff.run(cmd, f, args) },
	}
	fl := cmd.Flags()
	addPolicyFlags(fl, &ff.opts.Policy)
	fl.BoolVar(&ff.opts.AllowRemoveAll, "unsafe-allow-remove-all", false, "allow removing every snapshot of a group (needs --host, --tag or --path)")
	addFilterFlags(cmd, &ff.opts.Filter)
	fl.StringVarP(&ff.groupBy, "group-by", "g", "host,paths", "`group` snapshots by host, paths and/or tags, separated by commas ('' for no grouping)")
	// no -n as in restic: cairn's global -n is --namespace
	fl.BoolVar(&ff.opts.DryRun, "dry-run", false, "remove nothing, only print what would be removed")
	fl.BoolVarP(&ff.compact, "compact", "c", false, "print the tables in the compact format")
	fl.BoolVar(&ff.jsonOut, "json", false, "print the groups as JSON, as restic forget --json does")
	fl.BoolVar(&ff.prune, "prune", false, "prune the repository afterwards if snapshots were removed")
	ff.pruneFlags.register(cmd, "with --prune: ")
	return cmd
}

// run checks the flags, then forgets under an exclusive lock.
func (ff *forgetFlags) run(cmd *cobra.Command, f *repoFlags, ids []string) error {
	if err := ff.validate(ids); err != nil {
		return err
	}
	ctx := cmd.Context()
	r, err := f.open(ctx, !ff.prune)
	if err != nil {
		return err
	}
	defer r.Close()
	lock, err := r.Lock(ctx, true)
	if err != nil {
		return lockFailure(err)
	}
	unlockCtx := context.WithoutCancel(ctx)
	defer func() { _ = lock.Unlock(unlockCtx) }()
	ctx, stop := lock.Guard(ctx)
	defer stop()
	err = ff.forgetAndPrune(ctx, cmd, r, ids)
	if cause := context.Cause(ctx); err != nil && errors.Is(cause, repo.ErrLockLost) {
		return fmt.Errorf("stopped: %w; run the command again", cause)
	}
	return err
}

// forgetAndPrune removes snapshots by id or policy and then, with --prune,
// prunes if it removed any.
func (ff *forgetFlags) forgetAndPrune(ctx context.Context, cmd *cobra.Command, r *repo.Repository, ids []string) error {
	out := cmd.OutOrStdout()
	var removed []*repo.Snapshot
	var err error
	if len(ids) > 0 {
		removed, err = ff.forgetIDs(ctx, out, r, ids)
	} else {
		removed, err = ff.forgetByPolicy(ctx, out, r)
	}
	if err != nil || !ff.prune || len(removed) == 0 {
		return err
	}
	return ff.runPrune(ctx, cmd, r, len(removed))
}

// validate rejects bad flags before the repository is opened.
func (ff *forgetFlags) validate(ids []string) error {
	var err error
	if ff.opts.GroupBy, err = forget.ParseGroupBy(ff.groupBy); err != nil {
		return err
	}
	if ff.pruneOpts, err = ff.pruneFlags.options(ff.opts.DryRun); err != nil {
		return err
	}
	if err := ff.opts.Policy.Validate(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return ff.opts.Validate()
	}
	if !ff.opts.Policy.Empty() || ff.opts.AllowRemoveAll {
		return errors.New("snapshot ids cannot be combined with a --keep-* policy or --unsafe-allow-remove-all: " +
			"with ids, forget removes exactly those snapshots; give either ids or a policy")
	}
	return nil
}

// lockFailure gives a lock conflict restic's exit code, 11.
func lockFailure(err error) error {
	if errors.Is(err, repo.ErrLocked) {
		return &exitError{code: 11, msg: err.Error()}
	}
	return err
}

// forgetIDs removes the snapshots named by ids (in a dry run, only says
// which).
func (ff *forgetFlags) forgetIDs(ctx context.Context, out io.Writer, r *repo.Repository, ids []string) ([]*repo.Snapshot, error) {
	sns, err := forget.Resolve(ctx, r, ids, ff.opts.Filter)
	if err != nil {
		return nil, err
	}
	return sns, ff.remove(ctx, out, r, sns)
}

// forgetByPolicy applies the policy to each group, prints the groups and
// removes what the policy does not keep.
func (ff *forgetFlags) forgetByPolicy(ctx context.Context, out io.Writer, r *repo.Repository) ([]*repo.Snapshot, error) {
	opts := ff.opts
	opts.DryRun = true // decide first, print, then remove
	res, err := forget.ByPolicy(ctx, r, opts)
	if err != nil {
		return nil, err
	}
	if ff.jsonOut {
		if err := json.NewEncoder(out).Encode(forgetGroupsJSON(res)); err != nil {
			return nil, err
		}
	} else {
		fmt.Fprintf(out, "Applying Policy: %v\n", ff.opts.Policy)
		for _, g := range res.Groups {
			printForgetGroup(out, g, ff.compact)
		}
	}
	removed := res.Removed()
	return removed, ff.remove(ctx, out, r, removed)
}

// printForgetGroup prints a group's key and its keep and remove tables.
func printForgetGroup(out io.Writer, g forget.GroupResult, compact bool) {
	if k := g.Key.String(); k != "" {
		fmt.Fprintf(out, "snapshots for (%s):\n", k)
	}
	if len(g.Keep) > 0 {
		reasons := map[repo.ID][]string{}
		var kept []*repo.Snapshot
		for _, k := range g.Keep {
			kept = append(kept, k.Snapshot)
			reasons[k.Snapshot.ID()] = k.Reasons
		}
		fmt.Fprintf(out, "keep %d snapshots:\n", len(kept))
		printSnapshotTable(out, kept, reasons, compact)
		fmt.Fprintln(out)
	}
	if len(g.Remove) > 0 {
		fmt.Fprintf(out, "remove %d snapshots:\n", len(g.Remove))
		printSnapshotTable(out, g.Remove, nil, compact)
		fmt.Fprintln(out)
	}
}

// remove removes sns, or in a dry run lists them as restic does.
func (ff *forgetFlags) remove(ctx context.Context, out io.Writer, r *repo.Repository, sns []*repo.Snapshot) error {
	if len(sns) == 0 {
		return nil
	}
	if ff.opts.DryRun {
		if !ff.jsonOut {
			fmt.Fprintf(out, "Would have removed the following snapshots:\n{%s}\n\n", shortIDs(sns))
		}
		return nil
	}
	if err := forget.Remove(ctx, r, sns); err != nil {
		return err
	}
	if !ff.jsonOut {
		fmt.Fprintf(out, "removed %d snapshots\n", len(sns))
	}
	return nil
}

// shortIDs lists the short ids of sns, sorted, space-separated.
func shortIDs(sns []*repo.Snapshot) string {
	ids := make([]string, len(sns))
	for i, sn := range sns {
		ids[i] = sn.ID().Str()
	}
	slices.Sort(ids)
	return strings.Join(ids, " ")
}

// runPrune prunes after n snapshots were removed (or, in a dry run, plans
// the prune) and prints its summary; with --json the summary goes to
// stderr.
func (ff *forgetFlags) runPrune(ctx context.Context, cmd *cobra.Command, r *repo.Repository, n int) error {
	out := cmd.OutOrStdout()
	if ff.jsonOut {
		out = cmd.ErrOrStderr()
	}
	if ff.opts.DryRun {
		fmt.Fprintf(out, "%d snapshots would be removed, running prune dry run\n", n)
	} else {
		fmt.Fprintf(out, "%d snapshots have been removed, running prune\n", n)
	}
	return pruneAndReport(ctx, r, ff.pruneOpts, out)
}

// forgetGroupJSON is a group as `restic forget --json` prints it.
type forgetGroupJSON struct {
	Tags    []string         `json:"tags"`
	Host    string           `json:"host"`
	Paths   []string         `json:"paths"`
	Keep    []snapshotJSON   `json:"keep"`
	Remove  []snapshotJSON   `json:"remove"`
	Reasons []keepReasonJSON `json:"reasons"`
}

type keepReasonJSON struct {
	Snapshot snapshotJSON `json:"snapshot"`
	Matches  []string     `json:"matches"`
}

func forgetGroupsJSON(res *forget.Result) []forgetGroupJSON {
	groups := []forgetGroupJSON{}
	for _, g := range res.Groups {
		fg := forgetGroupJSON{Tags: g.Key.Tags, Host: g.Key.Hostname, Paths: g.Key.Paths}
		for _, k := range g.Keep {
			fg.Keep = append(fg.Keep, toSnapshotJSON(k.Snapshot))
			fg.Reasons = append(fg.Reasons, keepReasonJSON{Snapshot: toSnapshotJSON(k.Snapshot), Matches: k.Reasons})
		}
		for _, sn := range g.Remove {
			fg.Remove = append(fg.Remove, toSnapshotJSON(sn))
		}
		groups = append(groups, fg)
	}
	return groups
}

func toSnapshotJSON(sn *repo.Snapshot) snapshotJSON {
	id := sn.ID().String()
	return snapshotJSON{Snapshot: sn, ID: id, ShortID: id[:8]}
}
