package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

// progressInterval is how often --wait asks for progress and redraws.
const progressInterval = 500 * time.Millisecond

// progress is what --wait shows of a running backup or restore.
type progress struct {
	Phase string
	// Items are the items backed up or restored so far, of Total (0 when
	// not known yet).
	Items, Total int
	// Volumes are the pod volumes, VolumesDone those that ended.
	Volumes, VolumesDone int
	// BytesDone and BytesTotal add up the pod volumes' bytes: the live
	// counts of those in progress and the final ones of the rest.
	BytesDone, BytesTotal uint64
}

// counts is p without what changes all the time, for the plain output's
// "print when it changed".
func (p progress) counts() progress {
	p.BytesDone, p.BytesTotal = 0, 0
	return p
}

func (p progress) line(elapsed time.Duration) string {
	var b strings.Builder
	phase := p.Phase
	if phase == "" {
		phase = workflows.PhaseNew
	}
	b.WriteString(phase)
	if p.Total > 0 {
		fmt.Fprintf(&b, ", items %d of %d", p.Items, p.Total)
	} else {
		fmt.Fprintf(&b, ", items %d", p.Items)
	}
	if p.Volumes > 0 {
		fmt.Fprintf(&b, ", pod volumes %d of %d done", p.VolumesDone, p.Volumes)
		if p.BytesTotal > 0 {
			fmt.Fprintf(&b, " (%s of %s)", humanBytes(p.BytesDone), humanBytes(p.BytesTotal))
		}
	}
	fmt.Fprintf(&b, ", elapsed %s", elapsed.Truncate(time.Second))
	return b.String()
}

// followProgress shows the progress poll reports until the returned stop
// is called: on a terminal it redraws one status line every
// progressInterval (stop erases it); otherwise it prints a line whenever
// the phase or counts change. The first poll comes after one interval, so
// that a quick backup or restore prints nothing more. Failed polls are
// skipped: waiting is what matters.
func followProgress(ctx context.Context, w io.Writer, poll func(context.Context) (progress, error)) (stop func()) {
	tty, width := terminal(w)
	return follow(ctx, w, tty, width, poll)
}

// follow is followProgress on a terminal of width columns when tty is set.
func follow(ctx context.Context, w io.Writer, tty bool, width int, poll func(context.Context) (progress, error)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		start := time.Now()
		tick := time.NewTicker(progressInterval)
		defer tick.Stop()
		var last, shown progress
		known, drawn, printed := false, false, false
		for {
			select {
			case <-ctx.Done():
				if drawn {
					fmt.Fprint(w, "\r\033[K")
				}
				return
			case <-tick.C:
			}
			pctx, pcancel := context.WithTimeout(ctx, 5*time.Second)
			p, err := poll(pctx)
			pcancel()
			switch {
			case ctx.Err() != nil:
				continue // stopping: the next select erases the line
			case err == nil:
				last, known = p, true
			case !known:
				continue
			}
			if tty {
				line := last.line(time.Since(start))
				if width > 1 && len(line) >= width {
					line = line[:width-1]
				}
				fmt.Fprint(w, "\r\033[K"+line)
				drawn = true
			} else if err == nil && (!printed || p.counts() != shown.counts()) {
				fmt.Fprintln(w, p.line(time.Since(start)))
				shown, printed = p, true
			}
		}
	}()
	return func() {
		cancel()
		wg.Wait()
	}
}

// terminal tells whether w is a terminal, and its width.
func terminal(w io.Writer) (bool, int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false, 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		width = 0
	}
	return true, width
}

// backupProgress polls backup name: the progress query, and the node
// agents' heartbeats while pod volumes are in progress.
func backupProgress(sc *starter.Client, name string) func(context.Context) (progress, error) {
	return func(ctx context.Context) (progress, error) {
		b, err := sc.DescribeBackup(ctx, name)
		if err != nil {
			return progress{}, err
		}
		p := progress{Phase: b.Phase, Items: b.Items}
		var live map[string]activities.PodVolumeProgress
		for _, v := range b.PodVolumeBackups {
			if v.Phase == workflows.PhaseInProgress && live == nil {
				if live, _ = sc.BackupLiveVolumes(ctx, name); live == nil {
					live = map[string]activities.PodVolumeProgress{}
				}
			}
			p.addVolume(v.Namespace+"/"+v.Pod+"/"+v.Volume, v.Phase, v.Bytes, live)
		}
		return p, nil
	}
}

// restoreProgress polls restore name as backupProgress does a backup.
func restoreProgress(sc *starter.Client, name string) func(context.Context) (progress, error) {
	return func(ctx context.Context) (progress, error) {
		r, err := sc.DescribeRestore(ctx, name)
		if err != nil {
			return progress{}, err
		}
		p := progress{Phase: r.Phase, Items: r.Created + r.Updated, Total: r.Total}
		var live map[string]activities.PodVolumeProgress
		for _, v := range r.PodVolumeRestores {
			if v.Phase == workflows.PhaseInProgress && live == nil {
				if live, _ = sc.LiveVolumes(ctx, workflows.RestoreID(name)); live == nil {
					live = map[string]activities.PodVolumeProgress{}
				}
			}
			p.addVolume(v.Namespace+"/"+v.Pod+"/"+v.Volume, v.Phase, v.Bytes, live)
		}
		return p, nil
	}
}

// addVolume counts one pod volume in phase: a live one by its heartbeat.
func (p *progress) addVolume(key, phase string, bytes uint64, live map[string]activities.PodVolumeProgress) {
	p.Volumes++
	if phase == workflows.PhaseInProgress {
		if l, ok := live[key]; ok {
			p.BytesDone += l.BytesDone
			p.BytesTotal += l.TotalBytes
		}
		return
	}
	p.VolumesDone++
	p.BytesDone += bytes
	p.BytesTotal += bytes
}
