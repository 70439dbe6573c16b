package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/repo"
)

// pruneFlags are restic's prune flags.
type pruneFlags struct {
	maxUnused           string
	maxRepackSize       string
	repackSmallerThan   string
	repackSmall         bool
	repackUncompressed  bool
	repackCacheableOnly bool
	dryRun              bool
}

// register adds the flags to cmd, their help starting with prefix.
func (p *pruneFlags) register(cmd *cobra.Command, prefix string) {
	f := cmd.Flags()
	f.StringVar(&p.maxUnused, "max-unused", "5%", prefix+"tolerate this `limit` of unused space: a percentage, a size (100M) or unlimited")
	f.StringVar(&p.maxRepackSize, "max-repack-size", "", prefix+"repack at most this `size` (for example 2G)")
	f.StringVar(&p.repackSmallerThan, "repack-smaller-than", "", prefix+"repack packs smaller than this `size`")
	f.BoolVar(&p.repackSmall, "repack-small", false, prefix+"repack packs under 80% of the target pack size")
	f.BoolVar(&p.repackUncompressed, "repack-uncompressed", false, prefix+"repack packs holding uncompressed data")
	f.BoolVar(&p.repackCacheableOnly, "repack-cacheable-only", false, prefix+"repack only packs of trees")
}

// options validates the flags into prune options.
func (p *pruneFlags) options(dryRun bool) (repo.PruneOptions, error) {
	opts := repo.PruneOptions{
		RepackSmall: p.repackSmall, RepackUncompressed: p.repackUncompressed,
		RepackCacheableOnly: p.repackCacheableOnly, DryRun: dryRun,
	}
	var err error
	if opts.MaxUnused, err = repo.ParseMaxUnused(p.maxUnused); err != nil {
		return opts, err
	}
	if opts.MaxRepackBytes, err = optionalSize("--max-repack-size", p.maxRepackSize); err != nil {
		return opts, err
	}
	opts.RepackSmallerThan, err = optionalSize("--repack-smaller-than", p.repackSmallerThan)
	return opts, err
}

func optionalSize(flag, s string) (uint64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := repo.ParseSize(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", flag, err)
	}
	return n, nil
}

func newRepoPruneCommand(f *repoFlags) *cobra.Command {
	p := &pruneFlags{}
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Remove data no snapshot needs, as restic prune does",
		Long: `Remove data no snapshot needs, as restic prune does: packs that hold only
unused blobs and packs no index lists are removed, and packs whose unused
share would leave more than --max-unused unused space are repacked. The
repository is locked exclusively while it runs. A prune that is stopped at
any point leaves a sound repository, and the next prune finishes the work.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts, err := p.options(p.dryRun)
			if err != nil {
				return err
			}
			r, err := f.open(cmd.Context(), true) // Prune loads the index under the lock
			if err != nil {
				return err
			}
			defer r.Close()
			return runPrune(cmd.Context(), r, opts, cmd.OutOrStdout())
		},
	}
	p.register(cmd, "")
	// no -n as in restic: cairn's global -n is --namespace
	cmd.Flags().BoolVar(&p.dryRun, "dry-run", false, "only show what would be removed and repacked")
	return cmd
}

// runPrune prunes r under an exclusive lock, stopping if the lock is lost.
func runPrune(ctx context.Context, r *repo.Repository, opts repo.PruneOptions, out io.Writer) error {
	lock, err := r.Lock(ctx, true)
	if err != nil {
		return lockFailure(err)
	}
	defer func() { _ = lock.Unlock(context.WithoutCancel(ctx)) }()
	ctx, stop := lock.Guard(ctx)
	defer stop()
	err = pruneAndReport(ctx, r, opts, out)
	if cause := context.Cause(ctx); err != nil && errors.Is(cause, repo.ErrLockLost) {
		return fmt.Errorf("stopped: %w; run the command again", cause)
	}
	return err
}

// pruneAndReport prunes r, whose exclusive lock the caller holds, printing
// each phase as it starts and the summary at the end.
func pruneAndReport(ctx context.Context, r *repo.Repository, opts repo.PruneOptions, out io.Writer) error {
	last := repo.PrunePhase("")
	opts.Progress = func(p repo.PruneProgress) {
		if p.Phase != last {
			last = p.Phase
			fmt.Fprintf(out, "%s\n", p.Phase)
		}
	}
	st, err := r.Prune(ctx, opts)
	if st != nil {
		printPruneSummary(out, st)
	}
	return err
}
