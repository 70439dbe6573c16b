package chunker

import (
	"errors"
	"io"
)

const (
	// MinSize is the smallest chunk, except for the last one of a stream.
	MinSize = 512 << 10
	// MaxSize is the largest chunk.
	MaxSize = 8 << 20

	windowSize = 64
	splitMask  = 1<<20 - 1 // restic's: about 1 MiB past MinSize on average

	// readSize is the least a read asks for once MinSize bytes are in: the
	// bytes read past a cut are copied, so reads stay small.
	readSize = 64 << 10
)

// Chunk is a chunk cut from the stream. Data aliases the buffer passed to
// Next; Cut is the fingerprint at the cut, as restic reports it.
type Chunk struct {
	Start  uint
	Length uint
	Cut    uint64
	Data   []byte
}

// Chunker cuts the stream of a reader into chunks. It is not safe for
// concurrent use; Reset reuses it for another stream.
type Chunker struct {
	rd    io.Reader
	tab   *tables
	err   error  // the read error, or io.EOF, once the reader returned it
	carry []byte // bytes read past the last cut
	pos   uint   // stream offset of the next chunk
	mask  uint64 // a cut needs the fingerprint's mask bits clear
}

// New returns a chunker for pol reading from rd.
func New(rd io.Reader, pol Pol) *Chunker {
	c := &Chunker{}
	c.Reset(rd, pol)
	return c
}

// Reset makes c cut the stream of rd with pol, as a new chunker would.
func (c *Chunker) Reset(rd io.Reader, pol Pol) {
	c.rd, c.err, c.carry, c.pos, c.mask = rd, nil, c.carry[:0], 0, splitMask
	c.tab, c.err = tablesFor(pol)
}

// SetAverageBits makes a cut need the low bits of the fingerprint clear
// instead of 20 (restic's SetAverageBits; Reset restores 20).
func (c *Chunker) SetAverageBits(bits int) {
	c.mask = 1<<uint(bits) - 1
}

// Next returns the next chunk, stored in buf (which is reallocated if its
// capacity is below MaxSize), and io.EOF after the last one. The bytes of
// buf past the chunk are not used after Next returns. After any other
// error the chunker must be Reset.
func (c *Chunker) Next(buf []byte) (Chunk, error) {
	if c.tab == nil {
		return Chunk{}, c.err
	}
	if cap(buf) < MaxSize {
		buf = make([]byte, MaxSize)
	}
	buf = buf[:MaxSize]
	n := copy(buf, c.carry)
	c.carry = c.carry[:0]
	n = c.fill(buf, n, MinSize+roundSize)
	if c.err != nil && c.err != io.EOF {
		return Chunk{}, c.err
	}
	if n < MinSize {
		if n == 0 {
			return Chunk{}, io.EOF
		}
		return c.emit(buf, n, n, c.tailCut(buf[:n])), nil
	}
	p := MinSize - 1 // the first position a cut may follow
	for {
		if n < p+roundSize {
			n = c.fill(buf, n, p+roundSize)
			if c.err != nil && c.err != io.EOF {
				return Chunk{}, c.err
			}
		}
		if n >= p+roundSize {
			if i, d, ok := c.tab.scanRound(buf, p, c.mask); ok {
				return c.emit(buf, i+1, n, d), nil
			}
			p += roundSize
			continue
		}
		// Less than a round is left: the end of the stream or MaxSize.
		d := c.tab.hash(buf[p-windowSize : p])
		if i, d, ok := c.tab.scan(buf, p, n, d, c.mask); ok {
			return c.emit(buf, i+1, n, d), nil
		}
		if n == MaxSize {
			return c.emit(buf, n, n, c.tab.hash(buf[n-windowSize:n])), nil
		}
		return c.emit(buf, n, n, c.tailCut(buf[:n])), nil
	}
}

// emit returns buf[:size] as a chunk and keeps buf[size:n] for the next.
func (c *Chunker) emit(buf []byte, size, n int, cut uint64) Chunk {
	c.carry = append(c.carry, buf[size:n]...)
	ch := Chunk{Start: c.pos, Length: uint(size), Cut: cut, Data: buf[:size]}
	c.pos += uint(size)
	return ch
}

// tailCut is the fingerprint restic reports for a last chunk that ends with
// the stream, before a cut was found: restic starts a chunk's window as 63
// zero bytes and a one byte, and hashes from byte MinSize-64 on.
func (c *Chunker) tailCut(chunk []byte) uint64 {
	hashed := len(chunk) - (MinSize - windowSize)
	switch {
	case hashed <= 0:
		return 1
	case hashed >= windowSize:
		return c.tab.hash(chunk[len(chunk)-windowSize:])
	}
	d := uint64(1)
	for _, b := range chunk[len(chunk)-hashed:] {
		d = c.tab.step(d, b)
	}
	return d
}

// errNoProgress is returned for a reader that keeps returning nothing.
var errNoProgress = errors.New("chunker: reader returned no data and no error 100 times")

// fill reads into buf[n:] until it holds want bytes (or is full), the
// stream ends or reading fails, and returns the new length. Each read asks
// for at least readSize bytes.
func (c *Chunker) fill(buf []byte, n, want int) int {
	want = min(want, len(buf))
	for empty := 0; n < want && c.err == nil; {
		m, err := c.rd.Read(buf[n:min(len(buf), max(want, n+readSize))])
		n += m
		switch {
		case err != nil:
			c.err = err
		case m > 0:
			empty = 0
		default:
			if empty++; empty >= 100 {
				c.err = errNoProgress
			}
		}
	}
	return n
}
