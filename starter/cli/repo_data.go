package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/archiver"
	"github.com/cairn-backup/cairn/repo/dump"
	"github.com/cairn-backup/cairn/repo/restorer"
	"github.com/cairn-backup/cairn/repo/walker"
)

// addRepoDataCommands adds the commands that move file data: backup,
// restore, ls and dump.
func addRepoDataCommands(cmd *cobra.Command, f *repoFlags) {
	cmd.AddCommand(newRepoBackupCommand(f), newRepoRestoreCommand(f), newRepoLsCommand(f), newRepoDumpCommand(f))
}

// exitIncomplete is restic's exit code for a snapshot saved with files left out.
const exitIncomplete = 3

func newRepoBackupCommand(f *repoFlags) *cobra.Command {
	var (
		opts  archiver.Options
		tags  []string
		force bool
		quiet bool
	)
	cmd := &cobra.Command{
		Use:   "backup PATH...",
		Short: "Back up files and folders into a new snapshot",
		Long: `Back up files and folders into a new snapshot.

As restic does, the parent is the latest snapshot of the same host and paths
(--parent names another, --force reads everything); files whose size, mtime,
ctime and inode match the parent's are not read again. Files that cannot be
read are left out with a warning and the exit code is 3.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			paths := make([]string, len(args))
			for i, p := range args {
				abs, err := filepath.Abs(p)
				if err != nil {
					return err
				}
				if _, err := os.Lstat(abs); err != nil {
					return fmt.Errorf("cannot back up %s: %w", p, err)
				}
				paths[i] = abs
			}
			for _, t := range tags {
				opts.Tags = append(opts.Tags, splitList(t)...)
			}
			if _, err := archiver.CompileExcludes(opts.Excludes); err != nil {
				return err
			}
			r, err := f.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer r.Close()
			if opts.Hostname == "" {
				opts.Hostname, _ = os.Hostname()
			}
			if opts.Parent == "" && !force {
				parent, err := findParent(cmd, r, opts.Hostname, paths)
				if err != nil {
					return err
				}
				opts.Parent = parent
			}
			var warnings atomic.Int64
			stderr := cmd.ErrOrStderr()
			opts.OnWarning = func(path string, err error) {
				warnings.Add(1)
				fmt.Fprintf(stderr, "warning: %s: %v\n", path, err)
			}
			if !quiet && isTerminal(stderr) {
				opts.OnProgress = func(p archiver.Progress) {
					printProgress(stderr, p.Elapsed, p.FilesDone, p.TotalFiles, p.BytesDone, p.TotalBytes, p.BytesPerSecond)
				}
			}
			res, err := archiver.Backup(cmd.Context(), r, paths, opts)
			if opts.OnProgress != nil {
				fmt.Fprintln(stderr)
			}
			if err != nil {
				return err
			}
			if !quiet {
				printBackupSummary(cmd.OutOrStdout(), res, opts.Parent)
			}
			if res.Warnings > 0 {
				return &exitError{code: exitIncomplete, msg: fmt.Sprintf(
					"snapshot %s saved, but %d files or folders could not be read (see the warnings above)",
					res.SnapshotID.String()[:8], res.Warnings)}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&tags, "tag", nil, "add tags to the snapshot (comma list, repeatable)")
	fl.StringVar(&opts.Hostname, "host", "", "hostname recorded in the snapshot (default: this host)")
	fl.StringArrayVarP(&opts.Excludes, "exclude", "e", nil, "exclude a pattern (repeatable)")
	fl.StringVar(&opts.Parent, "parent", "", "snapshot to compare with (default: the latest of the same host and paths)")
	fl.BoolVar(&force, "force", false, "read every file, ignoring any parent snapshot")
	fl.BoolVar(&opts.IgnoreCtime, "ignore-ctime", false, "ignore ctime changes when checking for modified files")
	fl.BoolVar(&opts.IgnoreInode, "ignore-inode", false, "ignore inode changes when checking for modified files")
	fl.IntVar(&opts.ReadConcurrency, "read-concurrency", archiver.DefaultReadConcurrency, "files read in parallel")
	fl.BoolVarP(&quiet, "quiet", "q", false, "print nothing but warnings and errors")
	return cmd
}

// findParent returns the id of the latest snapshot of host with exactly
// these paths, or "" when there is none.
func findParent(cmd *cobra.Command, r *repo.Repository, host string, paths []string) (string, error) {
	sns, err := r.ListSnapshots(cmd.Context())
	if err != nil {
		return "", err
	}
	want := slices.Sorted(slices.Values(paths))
	var best *repo.Snapshot
	for _, sn := range sns {
		got := slices.Sorted(slices.Values(sn.Paths))
		if sn.Hostname == host && slices.Equal(got, want) && (best == nil || sn.Time.After(best.Time)) {
			best = sn
		}
	}
	if best == nil {
		return "", nil
	}
	return best.ID().String(), nil
}

func printBackupSummary(w io.Writer, res *archiver.Result, parent string) {
	if parent != "" {
		fmt.Fprintf(w, "using parent snapshot %s\n", parent[:min(8, len(parent))])
	}
	if s := res.Snapshot.Summary; s != nil {
		fmt.Fprintf(w, "Files:       %5d new, %5d changed, %5d unmodified\n", s.FilesNew, s.FilesChanged, s.FilesUnmodified)
		fmt.Fprintf(w, "Dirs:        %5d new, %5d changed, %5d unmodified\n", s.DirsNew, s.DirsChanged, s.DirsUnmodified)
		fmt.Fprintf(w, "Added to the repository: %s (%s stored)\n", humanBytes(s.DataAdded), humanBytes(s.DataAddedPacked))
		fmt.Fprintf(w, "processed %d files, %s in %s\n", s.TotalFilesProcessed, humanBytes(s.TotalBytesProcessed),
			s.BackupEnd.Sub(s.BackupStart).Round(time.Millisecond))
	}
	fmt.Fprintf(w, "snapshot %s saved\n", res.SnapshotID.String()[:8])
}

func newRepoRestoreCommand(f *repoFlags) *cobra.Command {
	var opts restorer.Options
	var filter repo.SnapshotFilter
	var quiet bool
	cmd := &cobra.Command{
		Use:   "restore SNAPSHOT[:SUBFOLDER] --target DIR",
		Short: "Restore a snapshot (an id prefix or latest) under a target folder",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Target == "" {
				return errors.New("no --target: name the folder to restore into")
			}
			name, sub, _ := strings.Cut(args[0], ":")
			opts.Subtree = sub
			r, err := f.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer r.Close()
			sn, err := r.FindSnapshotFiltered(cmd.Context(), name, filter)
			if err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			if !quiet && isTerminal(stderr) {
				opts.Progress = func(p restorer.Progress) {
					printProgress(stderr, p.Elapsed, p.FilesDone, p.FilesTotal, p.BytesDone, p.BytesTotal, p.BytesPerSecond)
				}
			}
			res, err := restorer.Restore(cmd.Context(), r, sn, opts)
			if opts.Progress != nil {
				fmt.Fprintln(stderr)
			}
			if err != nil {
				return err
			}
			for _, w := range res.Warnings {
				fmt.Fprintln(stderr, "warning:", w)
			}
			if !quiet {
				fmt.Fprintf(cmd.OutOrStdout(), "restored snapshot %s to %s: %d files, %d folders, %s in %s\n",
					sn.ID().String()[:8], opts.Target, res.Files, res.Dirs, humanBytes(res.BytesDone),
					res.Elapsed.Round(time.Millisecond))
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Target, "target", "t", "", "folder to restore into")
	fl.StringArrayVarP(&opts.Include, "include", "i", nil, "restore only this path (repeatable)")
	fl.BoolVar(&opts.Sparse, "sparse", false, "write runs of zeros as holes")
	fl.IntVar(&opts.Connections, "connections", 0, "packs read in parallel (default: one per CPU for a local repository, 4 for S3)")
	fl.BoolVarP(&quiet, "quiet", "q", false, "print nothing but warnings and errors")
	addFilterFlags(cmd, &filter)
	return cmd
}

func newRepoLsCommand(f *repoFlags) *cobra.Command {
	var long bool
	cmd := &cobra.Command{
		Use:   "ls SNAPSHOT [DIR]",
		Short: "List the files of a snapshot, optionally under a folder",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := f.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer r.Close()
			sn, err := r.FindSnapshot(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			dir := "/"
			if len(args) == 2 {
				dir = args[1]
			}
			entries, err := walker.Ls(cmd.Context(), r, sn, dir, true)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			for _, e := range entries {
				if !long {
					fmt.Fprintln(out, e.Path)
					continue
				}
				line := fmt.Sprintf("%s %12d %s %s", e.Mode, e.Size, e.ModTime.Local().Format(time.DateTime), e.Path)
				if e.LinkTarget != "" {
					line += " -> " + e.LinkTarget
				}
				fmt.Fprintln(out, line)
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&long, "long", "l", false, "show mode, size and mtime")
	return cmd
}

func newRepoDumpCommand(f *repoFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "dump SNAPSHOT FILE",
		Short: "Write one file of a snapshot to standard output",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := f.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer r.Close()
			sn, err := r.FindSnapshot(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return dump.Dump(cmd.Context(), r, sn, args[1], cmd.OutOrStdout())
		},
	}
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// printProgress rewrites a terminal's last line with a transfer's progress.
func printProgress(w io.Writer, elapsed time.Duration, files, totalFiles, bytes, totalBytes uint64, rate float64) {
	fmt.Fprintf(w, "\r[%s] %d/%d files, %s/%s, %s/s   ", elapsed.Round(time.Second),
		files, totalFiles, humanBytes(bytes), humanBytes(totalBytes), humanBytes(uint64(rate)))
}
