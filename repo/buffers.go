package repo

import "sync"

// bufPool recycles byte buffers for loading blobs and encoding trees, so a
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
