package activities

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/podexec"
	"github.com/cairn-backup/cairn/activities/podvolume"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo/archiver"
)

// BackupDump runs a pod's dump command in its container and streams the
// command's stdout, through memory only, into the repository of the pod's
// namespace as one file of a snapshot in restic's --stdin layout (so that
// `restic dump <snapshot> /<filename>` gives it back), tagged with the
// backup, namespace, pod and dump. It works under a shared lock, as a pod
// volume backup does, and heartbeats the bytes read and its lock; a retry
// removes that lock, indexes the packs that landed and runs the command
// again, uploading only what is new. A command that cannot run, exits
// non-zero or outlasts its timeout is a Failed result with the end of its
// stderr, and no snapshot is saved.
func (h *Hooks) BackupDump(ctx context.Context, in BackupDumpInput) (out metadata.PodDump, err error) {
	d := in.Dump
	out = metadata.PodDump{Namespace: d.Namespace, Pod: d.Pod, Container: d.Container, Filename: d.Filename, Phase: metadata.VolumeFailed}
	start := h.now()
	defer func() { out.Duration = h.now().Sub(start) }()
	t := podexec.Target{Namespace: d.Namespace, Pod: d.Pod, Container: d.Container}
	if msg, err := h.dumpRunnable(ctx, d, t); msg != "" || err != nil {
		out.Error = msg
		return out, err
	}
	st, err := h.Locations.Resolve(ctx, in.StorageLocation)
	if err != nil {
		return out, err
	}
	if st.ReadOnly {
		return out, invalid(fmt.Sprintf("backup storage location %q is read-only", st.Name))
	}
	recovering := activity.GetInfo(ctx).Attempt > 1
	rp, lock, closeRepo, err := openShared(ctx, st, NamespaceRepoDir(d.Namespace), true, recovering)
	if err != nil {
		return out, err
	}
	defer closeRepo()
	defer unlock(ctx, lock)
	if recovering {
		if _, err := rp.RecoverPacks(ctx); err != nil {
			return out, err
		}
	}
	beat := func(p archiver.StreamProgress) {
		activity.RecordHeartbeat(ctx, PodVolumeProgress{Namespace: d.Namespace, Pod: d.Pod, Volume: "dump " + d.Filename,
			BytesDone: p.Bytes, LockID: lock.ID().String()})
	}
	beat(archiver.StreamProgress{})
	dctx, cancel := context.WithTimeout(ctx, d.Timeout)
	defer cancel()
	var res *archiver.Result
	ran, err := h.streamOut(dctx, t, d.Command, func(r io.Reader) (err error) {
		res, err = archiver.BackupStream(dctx, rp, r, archiver.StreamOptions{Filename: d.Filename,
			Hostname: podvolume.Hostname, Tags: dumpTags(in.Backup, d), OnProgress: beat, ProgressInterval: HeartbeatInterval})
		return err
	})
	out.ExitCode, out.Stderr = ran.ExitCode, ran.Stderr
	if msg, err := commandOutcome(ctx, dctx, ran, err, d.Timeout); msg != "" || err != nil {
		out.Error = msg
		return out, err
	}
	out.SnapshotID = res.SnapshotID.String()
	if s := res.Snapshot.Summary; s != nil {
		out.Bytes = s.TotalBytesProcessed
	}
	out.Phase = metadata.VolumeCompleted
	return out, nil
}

// dumpRunnable says why a dump cannot run (its problem, a container that
// does not run), if it cannot.
func (h *Hooks) dumpRunnable(ctx context.Context, d hooks.Dump, t podexec.Target) (string, error) {
	if d.Problem != "" {
		return d.Problem, nil
	}
	err := h.Exec.Running(ctx, t, false)
	if nr := (*podexec.NotRunningError)(nil); errors.As(err, &nr) {
		return nr.Error() + ": the dump cannot run", nil
	}
	return "", err
}

// streamOut runs cmd in t with its stdout piped into consume, and returns
// how the command ended and the first error of either side. A command
// that exits non-zero fails consume's read, so nothing of a failed dump
// is kept.
func (h *Hooks) streamOut(ctx context.Context, t podexec.Target, cmd []string, consume func(io.Reader) error) (podexec.Result, error) {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	var ran podexec.Result
	var runErr error
	go func() {
		defer close(done)
		ran, runErr = h.Exec.Run(ctx, t, cmd, nil, pw)
		if runErr == nil && ran.ExitCode != 0 {
			pw.CloseWithError(fmt.Errorf("the command exited with code %d", ran.ExitCode))
			return
		}
		pw.CloseWithError(runErr)
	}()
	err := consume(pr)
	pr.CloseWithError(errors.Join(err, errors.New("the stream's reader stopped")))
	<-done
	if runErr != nil {
		return ran, runErr
	}
	return ran, err
}

// commandOutcome turns how a streamed command ended into a failed
// outcome's message (exit code, timeout) or, for a failure to reach the
// cluster or storage, an error to retry; a command that succeeded has
// neither.
func commandOutcome(ctx, cmdCtx context.Context, ran podexec.Result, err error, timeout time.Duration) (string, error) {
	switch {
	case ran.ExitCode != 0:
		return fmt.Sprintf("the command exited with code %d", ran.ExitCode), nil
	case err != nil && cmdCtx.Err() != nil && ctx.Err() == nil:
		return fmt.Sprintf("the command did not finish within its timeout of %s and was cut off", timeout), nil
	}
	return "", err
}

// dumpTags are the restic tags of a dump's snapshot.
func dumpTags(backup string, d hooks.Dump) []string {
	return []string{"backup=" + backup, "ns=" + d.Namespace, "pod=" + d.Pod, "container=" + d.Container, "dump=" + d.Filename}
}
