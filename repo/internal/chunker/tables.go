package chunker

import (
	"fmt"
	"sync"

	"github.com/restic/chunker"
)

// Pol is an irreducible polynomial over GF(2) (restic's type).
type Pol = chunker.Pol

// tables drive the fingerprint for one polynomial. With d the fingerprint
// of the window, a byte in entering and a byte out leaving it, the next
// fingerprint is
//
//	(d<<8 | in) ^ mod[d>>shift] ^ out[out]
//
// mod reduces the 8 bits pushed above the degree (restic's mod table), out
// removes the leaving byte: restic's out table entry (the fingerprint of
// the byte followed by 63 zero bytes) multiplied by x^8 and reduced, so
// that removing it and then shifting, as restic does, is one xor after.
type tables struct {
	out   [256]uint64
	mod   [256]uint64
	shift uint // degree - 8
}

var tableCache sync.Map // Pol -> *tables

// tablesFor returns the (cached) tables for pol.
func tablesFor(pol Pol) (*tables, error) {
	if t, ok := tableCache.Load(pol); ok {
		return t.(*tables), nil
	}
	deg := pol.Deg()
	if deg < 9 || deg > 53 {
		return nil, fmt.Errorf("chunker: polynomial %v has degree %d, want 9..53", pol, deg)
	}
	t := &tables{shift: uint(deg - 8)}
	for b := range 256 {
		t.mod[b] = uint64(Pol(uint64(b)<<uint(deg)).Mod(pol) | Pol(b)<<uint(deg))
	}
	for b := range 256 {
		h := appendByte(0, byte(b), pol)
		for range windowSize - 1 {
			h = appendByte(h, 0, pol)
		}
		o := uint64(h)
		t.out[b] = o<<8 ^ t.mod[o>>t.shift]
	}
	v, _ := tableCache.LoadOrStore(pol, t)
	return v.(*tables), nil
}

func appendByte(h Pol, b byte, pol Pol) Pol {
	return (h<<8 | Pol(b)).Mod(pol)
}

// step appends in to the fingerprint d without removing a byte.
func (t *tables) step(d uint64, in byte) uint64 {
	return (d<<8 | uint64(in)) ^ t.mod[byte(d>>(t.shift&63))]
}

// hash is the fingerprint of a window w (len(w) <= 64; leading zero bytes
// do not change a fingerprint, so a shorter w is a window of 64 bytes that
// starts with zeros).
func (t *tables) hash(w []byte) uint64 {
	var d uint64
	for _, b := range w {
		d = t.step(d, b)
	}
	return d
}
