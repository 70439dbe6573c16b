package activities

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"go.temporal.io/sdk/activity"

	"github.com/cairn-backup/cairn/activities/podexec"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/dump"
)

// errLoadEnded stops the reading of a dump whose load command ended.
var errLoadEnded = errors.New("the load command ended")

// LoadDump streams a backed-up application dump from the repository into
// the stdin of a restored pod's load command, once its container runs,
// every blob verified before it is sent. Once the command has started,
// every outcome is a result and never an error to retry, since a load
// that ran twice could apply its data twice: a command that exits
// non-zero, outlasts its timeout or ends before it read the whole dump,
// or a dump that cannot be read to its end, is a Failed result.
func (h *Hooks) LoadDump(ctx context.Context, in LoadDumpInput) (out metadata.PodDump, err error) {
	d := in.Load
	out = metadata.PodDump{Namespace: d.Namespace, Pod: d.Pod, Container: d.Container, Filename: d.Filename,
		SnapshotID: in.SnapshotID, Phase: metadata.VolumeFailed}
	start := h.now()
	defer func() { out.Duration = h.now().Sub(start) }()
	if d.Problem != "" {
		out.Error = d.Problem
		return out, nil
	}
	t := podexec.Target{Namespace: d.Namespace, Pod: d.Pod, Container: d.Container}
	if err := h.Exec.WaitRunning(ctx, t, false, func(s string) { activity.RecordHeartbeat(ctx, "waiting: "+s) }); err != nil {
		return out, err
	}
	st, err := h.Locations.Resolve(ctx, in.StorageLocation)
	if err != nil {
		return out, err
	}
	rp, lock, closeRepo, err := openShared(ctx, st, NamespaceRepoDir(in.BackupNamespace), false, false)
	if err != nil {
		return out, err
	}
	defer closeRepo()
	defer unlock(ctx, lock)
	sn, err := rp.FindSnapshot(ctx, in.SnapshotID)
	if err != nil {
		return out, fmt.Errorf("snapshot %s of the dump %s of %s/%s: %w", in.SnapshotID, d.Filename, in.BackupNamespace, d.Pod, err)
	}
	var sent atomic.Uint64
	lctx, cancel := context.WithTimeout(ctx, d.Timeout)
	defer cancel()
	ran, err := heartbeatingWith(ctx, func() any {
		return PodVolumeProgress{Namespace: d.Namespace, Pod: d.Pod, Volume: "load " + d.Filename, BytesDone: sent.Load(), LockID: lock.ID().String()}
	}, func(context.Context) (loadRun, error) {
		return h.streamIn(lctx, t, d.Command, rp, sn, "/"+d.Filename, &sent)
	})
	out.Bytes, out.ExitCode, out.Stderr = sent.Load(), ran.ExitCode, ran.Stderr
	msg, err := commandOutcome(ctx, lctx, ran.Result, err, d.Timeout)
	switch {
	case err != nil:
		out.Error = err.Error()
	case msg != "":
		out.Error = msg
	case ran.readErr != nil:
		out.Error = "reading the dump from the repository: " + ran.readErr.Error()
	case out.Bytes != in.Bytes:
		out.Error = fmt.Sprintf("the load command ended after reading %d of the dump's %d bytes (a container runtime closes "+
			"a command's stdin once its stdout and stderr close: keep stdout open until the input ends, as "+
			"`sh -c 'load > file; echo done'` does)", out.Bytes, in.Bytes)
	default:
		out.Phase = metadata.VolumeCompleted
	}
	return out, nil
}

// loadRun is how a load ended: the command's result and the error that
// stopped the reading of the dump, if any.
type loadRun struct {
	podexec.Result
	readErr error
}

// streamIn runs cmd in t with the file p of snapshot sn as its stdin,
// counting the bytes sent.
func (h *Hooks) streamIn(ctx context.Context, t podexec.Target, cmd []string, rp *repo.Repository, sn *repo.Snapshot, p string, sent *atomic.Uint64) (loadRun, error) {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := dump.Dump(ctx, rp, sn, p, countingWriter{pw, sent})
		pw.CloseWithError(err)
		done <- err
	}()
	ran, err := h.Exec.Run(ctx, t, cmd, pr, nil)
	pr.CloseWithError(errLoadEnded)
	res := loadRun{Result: ran}
	if readErr := <-done; readErr != nil && !errors.Is(readErr, errLoadEnded) {
		res.readErr = readErr
	}
	return res, err
}

// countingWriter counts what goes through it.
type countingWriter struct {
	w io.Writer
	n *atomic.Uint64
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(uint64(n))
	return n, err
}
