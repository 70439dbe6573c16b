package repo

import (
	"runtime"
	"sync"
)

// bufPool recycles byte buffers for compression, sealing and loading, so a
// steady stream of blobs allocates nothing per blob.
var bufPool = sync.Pool{New: func() any { return new([]byte) }}

func getBuf(size int) *[]byte {
	b := bufPool.Get().(*[]byte)
	if cap(*b) < size {
		*b = make([]byte, size)
	}
	*b = (*b)[:size]
	return b
}

func putBuf(b *[]byte) {
	if cap(*b) > 64<<20 {
		return
	}
	bufPool.Put(b)
}

// compBufSize fits zstd's worst case for the largest chunk restic's chunker
// cuts (8 MiB). Compression buffers all have this capacity, so any pooled
// one serves any chunk and none is reallocated for a larger one; their
// pages are touched only as far as output is written.
const compBufSize = 8<<20 + 8<<20>>8 + 128

// compFree keeps up to one compression buffer per CPU (plus one) across
// garbage collections: a sync.Pool drops its buffers, and a new one taking
// recycled heap memory is zeroed, paging all of it in.
var compFree = make(chan *[]byte, runtime.GOMAXPROCS(0)+1)

// getCompBuf returns a buffer of length size for compressed output. Small
// blobs (trees, small files) use the general pool: a new buffer is zeroed
// when allocated, so a full-size one would be paged in for a small blob.
func getCompBuf(size int) *[]byte {
	if size > compBufSize || size < compBufSize/16 {
		return getBuf(size)
	}
	var b *[]byte
	select {
	case b = <-compFree:
	default:
		s := make([]byte, compBufSize)
		b = &s
	}
	*b = (*b)[:size]
	return b
}

func putCompBuf(b *[]byte) {
	if cap(*b) != compBufSize {
		putBuf(b)
		return
	}
	select {
	case compFree <- b:
	default:
	}
}
