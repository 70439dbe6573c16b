package archiver

// progressFunc adapts f to the archiver's progress reports, which run it
// every interval and once at the end from one goroutine (nil for nil).
func (s *streamer) progressFunc(f func(StreamProgress)) func(Progress) {
	if f == nil {
		return nil
	}
	return func(p Progress) {
		f(StreamProgress{Bytes: p.BytesDone, Blobs: s.blobs.Load()})
	}
}
