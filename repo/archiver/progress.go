package archiver

import (
	"sync/atomic"
	"time"
)

// stats are the backup's counters, updated by every goroutine.
type stats struct {
	filesNew, filesChanged, filesUnmodified atomic.Uint64
	dirsNew, dirsChanged, dirsUnmodified    atomic.Uint64
	filesDone, dirsDone, filesRead          atomic.Uint64
	bytesDone, bytesProcessed               atomic.Uint64
	totalFiles, totalDirs, totalBytes       atomic.Uint64
	warnings                                atomic.Uint64
	scanDone                                atomic.Bool
}

func (a *archiver) progress() Progress {
	el := a.opts.Now().Sub(a.start)
	p := Progress{
		Elapsed:    el,
		FilesDone:  a.st.filesDone.Load(),
		DirsDone:   a.st.dirsDone.Load(),
		BytesDone:  a.st.bytesDone.Load(),
		TotalFiles: a.st.totalFiles.Load(),
		TotalDirs:  a.st.totalDirs.Load(),
		TotalBytes: a.st.totalBytes.Load(),
		ScanDone:   a.st.scanDone.Load(),
		Warnings:   a.st.warnings.Load(),
		Checkpoint: a.repo.Checkpoint(),
	}
	if el > 0 {
		p.BytesPerSecond = float64(p.BytesDone) / el.Seconds()
	}
	return p
}

// reportProgress calls OnProgress every interval until stop is closed,
// then once more.
func (a *archiver) reportProgress(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	if a.opts.OnProgress == nil {
		return
	}
	t := time.NewTicker(a.opts.ProgressInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			a.opts.OnProgress(a.progress())
		case <-stop:
			a.opts.OnProgress(a.progress())
			return
		}
	}
}
