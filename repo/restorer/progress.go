package restorer

import (
	"sync"
	"time"
)

func (rs *restorer) progress() Progress {
	p := Progress{
		FilesDone: rs.filesDone.Load(), FilesTotal: rs.filesTotal.Load(),
		BytesDone: rs.bytesDone.Load(), BytesTotal: rs.bytesTotal.Load(),
		Planned: rs.planned.Load(),
		Elapsed: time.Since(rs.started),
	}
	if s := p.Elapsed.Seconds(); s > 0 {
		p.BytesPerSecond = float64(p.BytesDone) / s
	}
	return p
}

// startProgress calls Options.Progress every interval until the returned
// function is called, which reports once more and waits for the reporter.
func (rs *restorer) startProgress() func() {
	if rs.opts.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(rs.opts.ProgressInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				rs.opts.Progress(rs.progress())
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		rs.opts.Progress(rs.progress())
	}
}
